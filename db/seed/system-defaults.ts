/** The SystemConfiguration a new installation starts with; admins change it later. */
export { DEFAULT_SYSTEM_CONFIG as DEFAULT_SYSTEM_CONFIGURATION } from "@/lib/system-config";
