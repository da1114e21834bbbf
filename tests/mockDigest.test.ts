import { expect } from "chai";
import { awsId, digest } from "../cli/mocks/shared";

describe("mock model: the digest its ids derive from", () => {
  it("is SHA-256 in hex (FIPS 180-2 test vectors), text hashed as UTF-8", () => {
    expect(digest("abc")).to.equal("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    expect(digest("")).to.equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(digest("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")).to.equal(
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
    );
    // "é" is two bytes in UTF-8 (C3 A9); as Latin-1 it would be one (E9), another digest.
    expect(digest("é")).to.equal("4a99557e4033c3539de2eb65472017cad5f9557f7a0625a09f1c3f6e2ba69c4c");
  });

  it("makes AWS-style ids: the prefix and 17 hex digits", () => {
    expect(awsId("vpc", "abc")).to.equal("vpc-ba7816bf8f01cfea4");
  });
});
