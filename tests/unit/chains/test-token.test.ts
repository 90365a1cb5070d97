import solc from "solc";
import { describe, expect, it } from "vitest";
import { TEST_USDT_SOURCE } from "@/lib/chains/evm/test-token";
import { TEST_USDT_BYTECODE } from "@/lib/chains/evm/test-token-bytecode";

describe("the dev chain's test USDT", () => {
  it("deploys exactly what its source compiles to", () => {
    const output = JSON.parse(
      solc.compile(
        JSON.stringify({
          language: "Solidity",
          sources: { "TestUSDT.sol": { content: TEST_USDT_SOURCE } },
          settings: { optimizer: { enabled: true, runs: 200 }, evmVersion: "paris", outputSelection: { "*": { TestUSDT: ["evm.bytecode.object"] } } },
        }),
      ),
    ) as { errors?: { severity: string; formattedMessage: string }[]; contracts: Record<string, Record<string, { evm: { bytecode: { object: string } } }>> };
    expect((output.errors ?? []).filter((e) => e.severity === "error")).toEqual([]);
    expect(`0x${output.contracts["TestUSDT.sol"]!.TestUSDT!.evm.bytecode.object}`).toBe(TEST_USDT_BYTECODE);
  }, 60_000);
});
