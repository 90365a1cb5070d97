import { describe, expect, it } from "vitest";
import { mnemonicToSeedSync } from "@scure/bip39";
import { HDKey } from "@scure/bip32";
import { base58, bech32, bech32m, createBase58check } from "@scure/base";
import { sha256 } from "@noble/hashes/sha2.js";
import { ripemd160 } from "@noble/hashes/legacy.js";
import { keccak_256 } from "@noble/hashes/sha3.js";
import { secp256k1 } from "@noble/curves/secp256k1.js";
import {
  AddressError,
  deriveAddress,
  deriveInvoiceAddress,
  describeDerivationPath,
  isValidAddress,
  parseExtendedPublicKey,
  toChecksumAddress,
  type Network,
} from "@/lib/chains/addresses";

// ---------------------------------------------------------------------------------------------
// Fixtures. Everything below derives from the BIP39 test mnemonic used by BIP84 and countless
// wallet test suites. Reference encoders in this file are written independently of the module
// (straight from the specs) so that "direct derivation from the mnemonic" is a real cross-check.
// ---------------------------------------------------------------------------------------------

const MNEMONIC =
  "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";
const SEED = mnemonicToSeedSync(MNEMONIC);

const V = {
  xpub: { public: 0x0488b21e, private: 0x0488ade4 },
  tpub: { public: 0x043587cf, private: 0x04358394 },
  ypub: { public: 0x049d7cb2, private: 0x049d7878 },
  zpub: { public: 0x04b24746, private: 0x04b2430c },
  vpub: { public: 0x045f1cf6, private: 0x045f18bc },
} as const;

const root = (versions: { public: number; private: number } = V.xpub) => HDKey.fromMasterSeed(SEED, versions);
const xpubAt = (path: string, versions: { public: number; private: number } = V.xpub) =>
  root(versions).derive(path).publicExtendedKey;
const xprvAt = (path: string, versions: { public: number; private: number } = V.xpub) =>
  root(versions).derive(path).privateExtendedKey;
const pubAt = (path: string) => root().derive(path).publicKey as Uint8Array;

const b58c = createBase58check(sha256);
const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");

/** BIP173 P2WPKH reference encoding. */
const refP2wpkh = (pub: Uint8Array, hrp: "bc" | "tb") => bech32.encode(hrp, [0, ...bech32.toWords(ripemd160(sha256(pub)))]);
/** keccak256(X‖Y)[12..32]. */
const refEthBytes = (pub: Uint8Array) => keccak_256(secp256k1.Point.fromBytes(pub).toBytes(false).slice(1)).slice(12);
/** Reference EIP-55 (straight from the EIP's pseudo-code). */
const refChecksum = (addrBytes: Uint8Array) => {
  const lower = hex(addrBytes);
  const h = hex(keccak_256(new TextEncoder().encode(lower)));
  return "0x" + [...lower].map((c, i) => (parseInt(h[i]!, 16) >= 8 ? c.toUpperCase() : c)).join("");
};
const refTron = (pub: Uint8Array) => b58c.encode(Uint8Array.of(0x41, ...refEthBytes(pub)));

/** Re-serialise an extended key with a modified byte (and a correct checksum). */
function tamper(key: string, edit: (bytes: Uint8Array) => void): string {
  const bytes = Uint8Array.from(b58c.decode(key));
  edit(bytes);
  return b58c.encode(bytes);
}

function expectAddressError(fn: () => unknown, code: string, mustNotContain?: string): AddressError {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(caught).toBeInstanceOf(AddressError);
  const err = caught as AddressError;
  expect(err.code).toBe(code);
  expect(err.message.length).toBeGreaterThan(10);
  // Only meaningful for inputs long enough not to collide with ordinary words in the message.
  if (mustNotContain !== undefined && mustNotContain.length >= 24) {
    const serialised = `${err.message} ${JSON.stringify(err.details ?? {})}`;
    expect(serialised).not.toContain(mustNotContain);
    // Not even a recognisable chunk of it.
    expect(serialised).not.toContain(mustNotContain.slice(4, 24));
  }
  return err;
}

// ---------------------------------------------------------------------------------------------

describe("bitcoin: BIP84 published test vectors", () => {
  // Source: https://github.com/bitcoin/bips/blob/master/bip-0084.mediawiki#test-vectors
  const BIP84_ZPUB =
    "zpub6rFR7y4Q2AijBEqTUquhVz398htDFrtymD9xYYfG1m4wAcvPhXNfE3EfH1r1ADqtfSdVCToUG868RvUUkgDKf31mGDtKsAYz2oz2AGutZYs";
  const FIRST_RECEIVE = "bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu"; // m/84'/0'/0'/0/0
  const SECOND_RECEIVE = "bc1qnjg0jd8228aq7egyzacy8cys3knf9xvrerkf9g"; // m/84'/0'/0'/0/1
  const FIRST_CHANGE = "bc1q8c6fshw2dlwun7ekn9qwf37cu2rn755upcp6el"; // m/84'/0'/0'/1/0

  it("the mnemonic's m/84'/0'/0' serialises to the published account zpub", () => {
    expect(xpubAt("m/84'/0'/0'", V.zpub)).toBe(BIP84_ZPUB);
  });

  it("derives the published receive and change addresses from the zpub", () => {
    const parsed = parseExtendedPublicKey("bitcoin", BIP84_ZPUB, { testnet: false });
    expect(parsed).toMatchObject({ network: "bitcoin", testnet: false, prefix: "zpub", depth: 3, account: 0 });
    expect(deriveAddress(parsed, 0)).toBe(FIRST_RECEIVE);
    expect(deriveAddress(parsed, 1)).toBe(SECOND_RECEIVE);
    expect(deriveAddress(parsed, 0, { chain: 0 })).toBe(FIRST_RECEIVE);
    expect(deriveAddress(parsed, 0, { chain: 1 })).toBe(FIRST_CHANGE);
    expect(deriveInvoiceAddress("bitcoin", BIP84_ZPUB, 0, { testnet: false })).toBe(FIRST_RECEIVE);
  });

  it("agrees with direct derivation from the mnemonic (reference encoder) for indexes 0..9", () => {
    const parsed = parseExtendedPublicKey("bitcoin", BIP84_ZPUB, { testnet: false });
    expect(refP2wpkh(pubAt("m/84'/0'/0'/0/0"), "bc")).toBe(FIRST_RECEIVE);
    expect(refP2wpkh(pubAt("m/84'/0'/0'/1/0"), "bc")).toBe(FIRST_CHANGE);
    for (let i = 0; i < 10; i++) {
      expect(deriveAddress(parsed, i)).toBe(refP2wpkh(pubAt(`m/84'/0'/0'/0/${i}`), "bc"));
    }
  });

  it("accepts the same account key under the plain xpub version", () => {
    const xpub = xpubAt("m/84'/0'/0'", V.xpub);
    expect(xpub.startsWith("xpub")).toBe(true);
    const parsed = parseExtendedPublicKey("bitcoin", xpub, { testnet: false });
    expect(parsed.prefix).toBe("xpub");
    expect(deriveAddress(parsed, 0)).toBe(FIRST_RECEIVE);
    expect(deriveAddress(parsed, 1)).toBe(SECOND_RECEIVE);
  });

  it("accepts a depth-4 receive-chain key (m/84'/0'/0'/0), deriving at i", () => {
    const parsed = parseExtendedPublicKey("bitcoin", xpubAt("m/84'/0'/0'/0", V.zpub), { testnet: false });
    expect(parsed).toMatchObject({ depth: 4, account: null });
    expect(deriveAddress(parsed, 0)).toBe(FIRST_RECEIVE);
    expect(deriveAddress(parsed, 1)).toBe(SECOND_RECEIVE);
    expectAddressError(() => deriveAddress(parsed, 0, { chain: 1 }), "address.bad_chain");
  });

  it("trims surrounding whitespace from a pasted key", () => {
    expect(deriveInvoiceAddress("bitcoin", `  ${BIP84_ZPUB}\n`, 0, { testnet: false })).toBe(FIRST_RECEIVE);
  });
});

describe("bitcoin testnet: vpub at m/84'/1'/0'", () => {
  // Well-known value for this mnemonic's m/84'/1'/0'/0/0 (e.g. Electrum / Sparrow / bitcoinjs testnet fixtures).
  const TESTNET_FIRST = "tb1q6rz28mcfaxtmd6v789l9rrlrusdprr9pqcpvkl";
  const vpub = xpubAt("m/84'/1'/0'", V.vpub);

  it("derives tb1q addresses that match the mnemonic", () => {
    expect(vpub.startsWith("vpub")).toBe(true);
    const parsed = parseExtendedPublicKey("bitcoin", vpub, { testnet: true });
    expect(parsed).toMatchObject({ prefix: "vpub", testnet: true, depth: 3 });
    const first = deriveAddress(parsed, 0);
    expect(first.startsWith("tb1q")).toBe(true);
    expect(first).toBe(TESTNET_FIRST);
    for (let i = 0; i < 5; i++) {
      expect(deriveAddress(parsed, i)).toBe(refP2wpkh(pubAt(`m/84'/1'/0'/0/${i}`), "tb"));
    }
  });

  it("accepts a tpub in testnet mode", () => {
    const tpub = xpubAt("m/84'/1'/0'", V.tpub);
    expect(deriveInvoiceAddress("bitcoin", tpub, 0, { testnet: true })).toBe(TESTNET_FIRST);
  });
});

describe("ethereum: m/44'/60'/0'/0/i", () => {
  // Widely published: ethers.js / MetaMask / Hardhat fixtures for this mnemonic.
  const ETH_FIRST = "0x9858EfFD232B4033E47d90003D41EC34EcaEda94";
  const xpub = xpubAt("m/44'/60'/0'");

  it("index 0 of the account xpub is the published address", () => {
    const parsed = parseExtendedPublicKey("ethereum", xpub, { testnet: false });
    expect(parsed).toMatchObject({ network: "ethereum", prefix: "xpub", depth: 3, account: 0 });
    expect(deriveAddress(parsed, 0)).toBe(ETH_FIRST);
    expect(refChecksum(refEthBytes(pubAt("m/44'/60'/0'/0/0")))).toBe(ETH_FIRST);
  });

  it("indexes 1..2 agree with direct derivation from the mnemonic", () => {
    const parsed = parseExtendedPublicKey("ethereum", xpub, { testnet: false });
    for (const i of [1, 2]) {
      const expected = refChecksum(refEthBytes(pubAt(`m/44'/60'/0'/0/${i}`)));
      expect(deriveAddress(parsed, i)).toBe(expected);
      expect(deriveAddress(parsed, i)).not.toBe(ETH_FIRST);
    }
  });

  it("accepts xpub and tpub in either mode (addresses are network-independent)", () => {
    const tpub = xpubAt("m/44'/60'/0'", V.tpub);
    for (const key of [xpub, tpub]) {
      for (const testnet of [false, true]) {
        expect(deriveInvoiceAddress("ethereum", key, 0, { testnet })).toBe(ETH_FIRST);
      }
    }
  });

  it("accepts a depth-4 key m/44'/60'/0'/0", () => {
    expect(deriveInvoiceAddress("ethereum", xpubAt("m/44'/60'/0'/0"), 0, { testnet: false })).toBe(ETH_FIRST);
  });
});

describe("tron: m/44'/195'/0'/0/i", () => {
  const TRON_FIRST = "TUEZSdKsoDHQMeZwihtdoBiN46zxhGWYdH";
  const xpub = xpubAt("m/44'/195'/0'");

  it("index 0 of the account xpub is the published address, and 1..2 match the mnemonic", () => {
    const parsed = parseExtendedPublicKey("tron", xpub, { testnet: false });
    expect(deriveAddress(parsed, 0)).toBe(TRON_FIRST);
    expect(refTron(pubAt("m/44'/195'/0'/0/0"))).toBe(TRON_FIRST);
    for (const i of [1, 2]) {
      expect(deriveAddress(parsed, i)).toBe(refTron(pubAt(`m/44'/195'/0'/0/${i}`)));
    }
  });

  it("testnet mode gives the same T-address", () => {
    expect(deriveInvoiceAddress("tron", xpub, 0, { testnet: true })).toBe(TRON_FIRST);
  });
});

describe("toChecksumAddress: EIP-55 vectors", () => {
  // Source: https://eips.ethereum.org/EIPS/eip-55 ("Test Cases")
  const VECTORS = [
    // All caps
    "0x52908400098527886E0F7030069857D2E4169EE7",
    "0x8617E340B3D01FA5F11F306F4090FD50E238070D",
    // All lower
    "0xde709f2102306220921060314715629080e2fb77",
    "0x27b1fdb04752bbc536007a920d24acb045561c26",
    // Normal
    "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
    "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
    "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
    "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
  ];

  it.each(VECTORS)("%s", (addr) => {
    expect(toChecksumAddress(addr.toLowerCase())).toBe(addr);
    expect(toChecksumAddress(addr.toUpperCase().replace("0X", "0x"))).toBe(addr);
    expect(toChecksumAddress(addr.slice(2).toLowerCase())).toBe(addr);
    expect(isValidAddress("ethereum", addr, { testnet: false })).toBe(true);
  });

  it("rejects non-addresses", () => {
    for (const bad of ["", "0x", "0x1234", "0x" + "g".repeat(40), "0x" + "a".repeat(41)]) {
      expectAddressError(() => toChecksumAddress(bad), "address.invalid");
    }
  });
});

describe("parseExtendedPublicKey refusals", () => {
  const zpub = xpubAt("m/84'/0'/0'", V.zpub);
  const vpub = xpubAt("m/84'/1'/0'", V.vpub);
  const ethXpub = xpubAt("m/44'/60'/0'");

  describe("private keys are refused and never echoed", () => {
    const cases: Array<[Network, string, boolean, string]> = [
      ["bitcoin", xprvAt("m/84'/0'/0'", V.zpub), false, "zprv"],
      ["bitcoin", xprvAt("m/84'/0'/0'", V.xpub), false, "xprv"],
      ["bitcoin", xprvAt("m/84'/1'/0'", V.vpub), true, "vprv"],
      ["bitcoin", xprvAt("m/84'/1'/0'", V.tpub), true, "tprv"],
      ["bitcoin", xprvAt("m/84'/0'/0'", V.vpub), false, "vprv (wrong mode too)"],
      ["bitcoin", xprvAt("m/49'/0'/0'", V.ypub), false, "yprv"],
      ["ethereum", xprvAt("m/44'/60'/0'"), false, "xprv"],
      ["ethereum", xprvAt("m/44'/60'/0'/0"), true, "xprv depth 4"],
      ["tron", xprvAt("m/44'/195'/0'"), false, "xprv"],
      ["tron", xprvAt("m/44'/195'/0'", V.tpub), true, "tprv"],
      ["ethereum", xprvAt("m"), false, "master xprv (wrong depth too)"],
    ];
    // Test names carry the label only: keys (even test ones) stay out of reporter output.
    it.each(cases.map(([network, key, testnet, label]) => ({ network, key, testnet, label })))(
      "$network $label (testnet=$testnet)",
      ({ network, key, testnet }) => {
      const err = expectAddressError(
        () => parseExtendedPublicKey(network, key, { testnet }),
        "xpub.private_key_refused",
        key,
      );
      expect(err.message).toMatch(/private/i);
      },
    );

    it("refuses private key data even under a public version", () => {
      const disguised = tamper(xprvAt("m/84'/0'/0'", V.zpub), (b) => b.set([0x04, 0xb2, 0x47, 0x46], 0));
      expect(disguised.startsWith("zpub")).toBe(true);
      expectAddressError(
        () => parseExtendedPublicKey("bitcoin", disguised, { testnet: false }),
        "xpub.private_key_refused",
        disguised,
      );
    });
  });

  it("garbage is xpub.invalid", () => {
    for (const bad of [
      "",
      "   ",
      "hello",
      "zpub",
      "0x9858EfFD232B4033E47d90003D41EC34EcaEda94",
      "bc1qcr8te4kr609gcawutmrza0j4xv80jy8z306fyu",
      "TUEZSdKsoDHQMeZwihtdoBiN46zxhGWYdH",
      zpub + zpub,
      "z".repeat(10_000),
      zpub.replace(/.$/, "0"), // invalid base58 character
    ]) {
      expectAddressError(() => parseExtendedPublicKey("bitcoin", bad, { testnet: false }), "xpub.invalid", bad);
    }
    expectAddressError(
      () => parseExtendedPublicKey("bitcoin", 42 as unknown as string, { testnet: false }),
      "xpub.invalid",
    );
  });

  it("a single mistyped character fails the checksum", () => {
    const i = 60;
    const swapped = zpub[i] === "a" ? "b" : "a";
    const typo = zpub.slice(0, i) + swapped + zpub.slice(i + 1);
    const err = expectAddressError(() => parseExtendedPublicKey("bitcoin", typo, { testnet: false }), "xpub.invalid", typo);
    expect(err.message).toMatch(/checksum/i);
    // And a well-formed payload with a wrong checksum.
    const raw = base58.decode(zpub);
    raw[raw.length - 1]! ^= 1;
    const badSum = base58.encode(raw);
    expectAddressError(() => parseExtendedPublicKey("bitcoin", badSum, { testnet: false }), "xpub.invalid", badSum);
  });

  it("an invalid public key point is xpub.invalid", () => {
    const notOnCurve = tamper(zpub, (b) => b.fill(0xff, 46, 78));
    expectAddressError(() => parseExtendedPublicKey("bitcoin", notOnCurve, { testnet: false }), "xpub.invalid", notOnCurve);
  });

  it("wrong network version", () => {
    // zpub in testnet mode, vpub / tpub in mainnet mode, xpub in testnet mode
    expectAddressError(() => parseExtendedPublicKey("bitcoin", zpub, { testnet: true }), "xpub.wrong_network", zpub);
    expectAddressError(() => parseExtendedPublicKey("bitcoin", vpub, { testnet: false }), "xpub.wrong_network", vpub);
    const tpub = xpubAt("m/84'/1'/0'", V.tpub);
    expectAddressError(() => parseExtendedPublicKey("bitcoin", tpub, { testnet: false }), "xpub.wrong_network", tpub);
    const xpub = xpubAt("m/84'/0'/0'");
    expectAddressError(() => parseExtendedPublicKey("bitcoin", xpub, { testnet: true }), "xpub.wrong_network", xpub);
    // Bitcoin-only versions on account-model chains
    const ethAsZpub = xpubAt("m/44'/60'/0'", V.zpub);
    expectAddressError(() => parseExtendedPublicKey("ethereum", ethAsZpub, { testnet: false }), "xpub.wrong_network", ethAsZpub);
    expectAddressError(() => parseExtendedPublicKey("tron", vpub, { testnet: true }), "xpub.wrong_network", vpub);
  });

  it("a ypub (BIP49 wrapped segwit) is refused for bitcoin", () => {
    const ypub = xpubAt("m/49'/0'/0'", V.ypub);
    expectAddressError(() => parseExtendedPublicKey("bitcoin", ypub, { testnet: false }), "xpub.unsupported_type", ypub);
  });

  it("an unknown version is xpub.invalid", () => {
    const odd = tamper(zpub, (b) => b.set([0x01, 0x02, 0x03, 0x04], 0));
    expectAddressError(() => parseExtendedPublicKey("bitcoin", odd, { testnet: false }), "xpub.invalid", odd);
  });

  it("wrong depth", () => {
    for (const path of ["m", "m/44'", "m/44'/60'", "m/44'/60'/0'/0/0", "m/44'/60'/0'/0/0/0"]) {
      const key = xpubAt(path);
      const err = expectAddressError(() => parseExtendedPublicKey("ethereum", key, { testnet: false }), "xpub.wrong_depth", key);
      expect(err.details).toMatchObject({ depth: path.split("/").length - 1 });
    }
    const master = xpubAt("m", V.zpub);
    expectAddressError(() => parseExtendedPublicKey("bitcoin", master, { testnet: false }), "xpub.wrong_depth", master);
  });

  it("right depth, non-standard path", () => {
    const unhardenedAccount = xpubAt("m/44'/60'/0");
    expectAddressError(() => parseExtendedPublicKey("ethereum", unhardenedAccount, { testnet: false }), "xpub.unexpected_path", unhardenedAccount);
    const changeChain = xpubAt("m/84'/0'/0'/1", V.zpub);
    expectAddressError(() => parseExtendedPublicKey("bitcoin", changeChain, { testnet: false }), "xpub.unexpected_path", changeChain);
  });

  it("the parsed handle does not leak the key when serialised", () => {
    const parsed = parseExtendedPublicKey("ethereum", ethXpub, { testnet: false });
    const json = JSON.stringify(parsed);
    expect(json).not.toContain(ethXpub.slice(4, 30));
    expect(Object.isFrozen(parsed)).toBe(true);
    expect(parsed.fingerprint).toMatch(/^[0-9a-f]{8}$/);
    // A look-alike object is not a parsed key.
    expectAddressError(() => deriveAddress({ ...parsed }, 0), "xpub.invalid");
  });
});

describe("deriveAddress index validation", () => {
  const parsed = parseExtendedPublicKey("bitcoin", xpubAt("m/84'/0'/0'", V.zpub), { testnet: false });

  it.each([-1, 2 ** 31, 2 ** 32, 1.5, Number.NaN, Number.POSITIVE_INFINITY, -0.5])("refuses %s", (index) => {
    expectAddressError(() => deriveAddress(parsed, index), "address.bad_index");
    expectAddressError(() => describeDerivationPath("bitcoin", index), "address.bad_index");
  });

  it("refuses non-numbers", () => {
    expectAddressError(() => deriveAddress(parsed, "1" as unknown as number), "address.bad_index");
    expectAddressError(() => deriveAddress(parsed, 1n as unknown as number), "address.bad_index");
  });

  it("accepts the boundaries 0 and 2^31 - 1", () => {
    expect(deriveAddress(parsed, 0)).toMatch(/^bc1q/);
    const last = deriveAddress(parsed, 2 ** 31 - 1);
    expect(last).toBe(refP2wpkh(pubAt(`m/84'/0'/0'/0/${2 ** 31 - 1}`), "bc"));
  });

  it("refuses a chain other than 0/1", () => {
    expectAddressError(() => deriveAddress(parsed, 0, { chain: 2 as 0 }), "address.bad_chain");
  });
});

describe("distinct indexes give distinct addresses", () => {
  const keys: Array<{ network: Network; key: string; testnet: boolean }> = [
    { network: "bitcoin", key: xpubAt("m/84'/0'/0'", V.zpub), testnet: false },
    { network: "bitcoin", key: xpubAt("m/84'/1'/0'", V.vpub), testnet: true },
    { network: "ethereum", key: xpubAt("m/44'/60'/0'"), testnet: false },
    { network: "tron", key: xpubAt("m/44'/195'/0'"), testnet: false },
  ];
  it.each(keys)("$network (testnet=$testnet): indexes 0..50", ({ network, key, testnet }) => {
    const parsed = parseExtendedPublicKey(network, key, { testnet });
    const addresses = Array.from({ length: 51 }, (_, i) => deriveAddress(parsed, i));
    expect(new Set(addresses).size).toBe(51);
    for (const a of addresses) expect(isValidAddress(network, a, { testnet })).toBe(true);
    // Deterministic: deriving again gives the same list.
    expect(Array.from({ length: 51 }, (_, i) => deriveAddress(parsed, i))).toEqual(addresses);
  });
});

describe("isValidAddress", () => {
  const btcMain = parseExtendedPublicKey("bitcoin", xpubAt("m/84'/0'/0'", V.zpub), { testnet: false });
  const btcTest = parseExtendedPublicKey("bitcoin", xpubAt("m/84'/1'/0'", V.vpub), { testnet: true });
  const mainnet = { testnet: false };
  const testnet = { testnet: true };

  /** Change one character to another one from the same alphabet. */
  const mutate = (s: string, i: number, alphabet: string) => {
    const c = s[i]!;
    const replacement = [...alphabet].find((a) => a !== c && a.toLowerCase() !== c.toLowerCase())!;
    return s.slice(0, i) + replacement + s.slice(i + 1);
  };
  const BECH32_CHARS = "qpzry9x8gf2tvdw0s3jn54khce6mua7l";
  const BASE58_CHARS = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz";

  describe("bitcoin", () => {
    it("accepts derived and published addresses (BIP173 / BIP350 / base58 examples)", () => {
      expect(isValidAddress("bitcoin", deriveAddress(btcMain, 7), mainnet)).toBe(true);
      expect(isValidAddress("bitcoin", deriveAddress(btcTest, 7), testnet)).toBe(true);
      // BIP173 test vectors (valid): uppercase P2WPKH, testnet P2WSH
      expect(isValidAddress("bitcoin", "BC1QW508D6QEJXTDG4Y5R3ZARVARY0C5XW7KV8F3T4", mainnet)).toBe(true);
      expect(
        isValidAddress("bitcoin", "tb1qrp33g0q5c5txsp9arysrx4k6zdkfs4nce4xj0gdcccefvpysxf3q0sl5k7", testnet),
      ).toBe(true);
      // BIP350 (valid): v1 taproot
      expect(isValidAddress("bitcoin", "bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0", mainnet)).toBe(true);
      // Legacy: genesis P2PKH, P2SH (bitcoin wiki), testnet P2PKH / P2SH
      expect(isValidAddress("bitcoin", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", mainnet)).toBe(true);
      expect(isValidAddress("bitcoin", "3J98t1WpEZ73CNmQviecrnyiWrnqRhWNLy", mainnet)).toBe(true);
      expect(isValidAddress("bitcoin", "mipcBbFg9gMiCh81Kj8tqqdgoZub1ZJRfn", testnet)).toBe(true);
      expect(isValidAddress("bitcoin", "2MzQwSSnBHWHqSAqtTVQ6v47XtaisrJa1Vc", testnet)).toBe(true);
    });

    it("rejects the wrong HRP and mainnet/testnet mix-ups", () => {
      const main = deriveAddress(btcMain, 0);
      const test = deriveAddress(btcTest, 0);
      expect(isValidAddress("bitcoin", main, testnet)).toBe(false);
      expect(isValidAddress("bitcoin", test, mainnet)).toBe(false);
      // Same program re-encoded under foreign HRPs (valid checksums).
      const words = bech32.decode(main as `bc1${string}`).words;
      expect(isValidAddress("bitcoin", bech32.encode("ltc", words), mainnet)).toBe(false);
      expect(isValidAddress("bitcoin", bech32.encode("tc", words), testnet)).toBe(false);
      expect(isValidAddress("bitcoin", "tc1qw508d6qejxtdg4y5r3zarvary0c5xw7kg3g4ty", mainnet)).toBe(false); // BIP173 invalid HRP
      expect(isValidAddress("bitcoin", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", testnet)).toBe(false);
      expect(isValidAddress("bitcoin", "mipcBbFg9gMiCh81Kj8tqqdgoZub1ZJRfn", mainnet)).toBe(false);
    });

    it("accepts regtest bcrt only when asked", () => {
      const words = bech32.decode(deriveAddress(btcTest, 0) as `tb1${string}`).words;
      const bcrt = bech32.encode("bcrt", words);
      expect(isValidAddress("bitcoin", bcrt, testnet)).toBe(false);
      expect(isValidAddress("bitcoin", bcrt, mainnet)).toBe(false);
      expect(isValidAddress("bitcoin", bcrt, { testnet: true, regtest: true })).toBe(true);
      expect(isValidAddress("bitcoin", bcrt, { testnet: false, regtest: true })).toBe(true);
      expect(isValidAddress("bitcoin", deriveAddress(btcMain, 0), { testnet: false, regtest: true })).toBe(false);
    });

    it("rejects any one-character change", () => {
      for (const addr of [deriveAddress(btcMain, 3), deriveAddress(btcTest, 3)]) {
        const opts = addr.startsWith("tb") ? testnet : mainnet;
        for (let i = 4; i < addr.length; i++) {
          expect(isValidAddress("bitcoin", mutate(addr, i, BECH32_CHARS), opts)).toBe(false);
        }
      }
      const legacy = "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa";
      for (let i = 1; i < legacy.length; i++) {
        expect(isValidAddress("bitcoin", mutate(legacy, i, BASE58_CHARS), mainnet)).toBe(false);
      }
    });

    it("rejects mixed case, wrong checksum algorithm and bad program lengths", () => {
      const addr = deriveAddress(btcMain, 0);
      expect(isValidAddress("bitcoin", addr.toUpperCase(), mainnet)).toBe(true);
      expect(isValidAddress("bitcoin", addr.slice(0, 10) + addr.slice(10).toUpperCase(), mainnet)).toBe(false);
      // BIP350: v0 with a bech32m checksum
      expect(isValidAddress("bitcoin", "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kemeawh", mainnet)).toBe(false);
      // v1 with a bech32 (not bech32m) checksum
      const tapWords = bech32m.decode("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0").words;
      expect(isValidAddress("bitcoin", bech32.encode("bc", tapWords), mainnet)).toBe(false);
      // v0 programs of length 19, 21 and 31
      for (const len of [19, 21, 31]) {
        const bad = bech32.encode("bc", [0, ...bech32.toWords(new Uint8Array(len).fill(7))]);
        expect(isValidAddress("bitcoin", bad, mainnet)).toBe(false);
      }
      // Future witness version (v2) is refused
      expect(isValidAddress("bitcoin", bech32m.encode("bc", [2, ...bech32.toWords(new Uint8Array(32))]), mainnet)).toBe(false);
      for (const junk of ["", "bc1", "bc1q", "x".repeat(200), "0x9858EfFD232B4033E47d90003D41EC34EcaEda94"]) {
        expect(isValidAddress("bitcoin", junk, mainnet)).toBe(false);
      }
    });
  });

  describe("ethereum", () => {
    const ETH = "0x9858EfFD232B4033E47d90003D41EC34EcaEda94";

    it("accepts checksummed, all-lower and all-upper forms", () => {
      expect(isValidAddress("ethereum", ETH, mainnet)).toBe(true);
      expect(isValidAddress("ethereum", ETH, testnet)).toBe(true);
      expect(isValidAddress("ethereum", ETH.toLowerCase(), mainnet)).toBe(true);
      expect(isValidAddress("ethereum", "0x" + ETH.slice(2).toUpperCase(), mainnet)).toBe(true);
    });

    it("rejects a wrong-case checksum and malformed strings", () => {
      // Flip the case of one letter: still mixed case, checksum no longer matches.
      const i = [...ETH].findIndex((c, k) => k > 1 && /[a-f]/.test(c));
      const wrongCase = ETH.slice(0, i) + ETH[i]!.toUpperCase() + ETH.slice(i + 1);
      expect(isValidAddress("ethereum", wrongCase, mainnet)).toBe(false);
      expect(isValidAddress("ethereum", "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeD", mainnet)).toBe(false);
      for (const bad of ["", ETH.slice(2), "0X" + ETH.slice(2), ETH + "0", ETH.slice(0, -1), ETH.replace("E", "G"), ` ${ETH}`]) {
        expect(isValidAddress("ethereum", bad, mainnet)).toBe(false);
      }
    });
  });

  describe("tron", () => {
    const TRON = "TUEZSdKsoDHQMeZwihtdoBiN46zxhGWYdH";

    it("accepts derived and well-known addresses in both modes", () => {
      expect(isValidAddress("tron", TRON, mainnet)).toBe(true);
      expect(isValidAddress("tron", TRON, testnet)).toBe(true);
      expect(isValidAddress("tron", "TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t", mainnet)).toBe(true); // USDT TRC-20 contract
    });

    it("rejects a bad checksum, a one-character change and a wrong prefix", () => {
      const raw = base58.decode(TRON);
      raw[raw.length - 1]! ^= 1;
      expect(isValidAddress("tron", base58.encode(raw), mainnet)).toBe(false);
      for (let i = 1; i < TRON.length; i++) {
        expect(isValidAddress("tron", mutate(TRON, i, BASE58_CHARS), mainnet)).toBe(false);
      }
      // Correct checksum but a Bitcoin version byte / wrong length.
      expect(isValidAddress("tron", "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", mainnet)).toBe(false);
      expect(isValidAddress("tron", b58c.encode(Uint8Array.of(0x41, ...new Uint8Array(21))), mainnet)).toBe(false);
      expect(isValidAddress("tron", b58c.encode(Uint8Array.of(0x42, ...new Uint8Array(20))), mainnet)).toBe(false);
      expect(isValidAddress("tron", "0x9858EfFD232B4033E47d90003D41EC34EcaEda94", mainnet)).toBe(false);
      expect(isValidAddress("tron", "", mainnet)).toBe(false);
    });
  });

  it("rejects non-strings and unknown networks without throwing", () => {
    for (const network of ["bitcoin", "ethereum", "tron"] as const) {
      expect(isValidAddress(network, undefined as unknown as string, mainnet)).toBe(false);
      expect(isValidAddress(network, 42 as unknown as string, mainnet)).toBe(false);
    }
    expect(isValidAddress("solana" as Network, "TUEZSdKsoDHQMeZwihtdoBiN46zxhGWYdH", mainnet)).toBe(false);
  });
});

describe("describeDerivationPath", () => {
  it("matches the paths used for derivation", () => {
    expect(describeDerivationPath("bitcoin", 5)).toBe("m/84'/0'/0'/0/5");
    expect(describeDerivationPath("bitcoin", 5, { testnet: true })).toBe("m/84'/1'/0'/0/5");
    expect(describeDerivationPath("ethereum", 5)).toBe("m/44'/60'/0'/0/5");
    expect(describeDerivationPath("ethereum", 5, { testnet: true })).toBe("m/44'/60'/0'/0/5");
    expect(describeDerivationPath("tron", 5)).toBe("m/44'/195'/0'/0/5");
    expect(describeDerivationPath("tron", 0, { testnet: true })).toBe("m/44'/195'/0'/0/0");
    expect(describeDerivationPath("bitcoin", 0, { chain: 1, account: 2 })).toBe("m/84'/0'/2'/1/0");
  });

  it("the described path derives the same address as the xpub", () => {
    const cases: Array<[Network, boolean, { public: number; private: number }]> = [
      ["bitcoin", false, V.zpub],
      ["bitcoin", true, V.vpub],
      ["ethereum", false, V.xpub],
      ["tron", false, V.xpub],
    ];
    for (const [network, testnet, versions] of cases) {
      const accountPath = describeDerivationPath(network, 0, { testnet }).split("/").slice(0, 4).join("/");
      const parsed = parseExtendedPublicKey(network, xpubAt(accountPath, versions), { testnet });
      const path = describeDerivationPath(network, 9, { testnet });
      const pub = pubAt(path);
      const expected =
        network === "bitcoin"
          ? refP2wpkh(pub, testnet ? "tb" : "bc")
          : network === "ethereum"
            ? refChecksum(refEthBytes(pub))
            : refTron(pub);
      expect(deriveAddress(parsed, 9)).toBe(expected);
    }
  });
});
