// Pure domain core: no framework, database, network or node: imports — runs anywhere.
export * from "./errors";
export * from "./assets";
export * from "./decimal";
export * from "./rounding";
export * from "./money";
export * from "./exchange-rate";
export * from "./payment-tolerance";
export * from "./invoice-pricing";
export * from "./transition-table";
export * from "./invoice-state";
export * from "./payment-state";
export * from "./account";
export * from "./claude-models";
export * from "./quota";
export * from "./account-pricing";
