import { SectionNav } from "@/components/ui/section-nav";

const ITEMS = [
  { href: "/merchant", label: "Overview" },
  { href: "/merchant/invoices", label: "Invoices" },
  { href: "/merchant/customers", label: "Customers" },
  { href: "/merchant/analytics", label: "Analytics" },
  { href: "/merchant/webhooks", label: "Webhooks" },
  { href: "/merchant/notifications", label: "Notifications" },
  { href: "/merchant/api-keys", label: "API keys" },
  { href: "/merchant/wallets", label: "Wallets" },
  { href: "/merchant/payment-links", label: "Payment links" },
  { href: "/merchant/settings", label: "Settings" },
  { href: "/docs/api", label: "API docs" },
];

export function MerchantNav() {
  return <SectionNav label="Merchant" items={ITEMS} className="mx-auto max-w-6xl px-2 sm:px-4" />;
}
