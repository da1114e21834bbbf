/**
 * The user data of an instance a component registered, as cloud-init reads it: the instance's `userDataBase64`
 * base64-decoded, checked to be gzip (RFC 1952: magic 1f 8b, deflate, MTIME 0, OS Unix) and uncompressed.
 */
import { gunzipSync } from "node:zlib";
import { expect } from "chai";

export function instanceUserData(inputs: Record<string, unknown>): string {
  expect(inputs.userData, "the text travels compressed, never as userData").to.equal(undefined);
  const encoded = inputs.userDataBase64;
  expect(encoded, "userDataBase64").to.be.a("string");
  const bytes = Buffer.from(String(encoded), "base64");
  expect([...bytes.subarray(0, 10)], "gzip header").to.deep.equal([0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 2, 3]);
  return gunzipSync(bytes).toString("utf8");
}

/** An input as text to search for secrets: JSON, and the user data uncompressed (a key hides in the gzip). */
export function inputText(inputs: Record<string, unknown>, input: string): string {
  return input === "userDataBase64" && typeof inputs[input] === "string" && inputs[input] !== "[secret]"
    ? instanceUserData(inputs)
    : JSON.stringify(inputs[input] ?? null);
}
