import { merchantHandlers } from "@/lib/auth/merchant-auth";

export const { GET, POST } = merchantHandlers;
