/**
 * Identifiers shaped like the ones Cognito hands out, so code and logs that look at them
 * (length, character set, the region prefix of a pool id) behave the same offline.
 * Random on purpose: nothing may come to depend on a fixed local secret.
 */
import { randomBytes, randomInt } from "node:crypto";

const LOWER_ALNUM = "abcdefghijklmnopqrstuvwxyz0123456789";
const ALNUM = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

function randomString(alphabet: string, length: number): string {
  let out = "";
  for (let i = 0; i < length; i++) out += alphabet[randomInt(alphabet.length)];
  return out;
}

/** `eu-west-1_AbC123xYz`: region, underscore, nine letters or digits. */
export function newUserPoolId(region: string): string {
  return `${region}_${randomString(ALNUM, 9)}`;
}

/** App client ids are 26 lowercase letters and digits. */
export function newClientId(): string {
  return randomString(LOWER_ALNUM, 26);
}

/** App client secrets are about 50 lowercase letters and digits; 256 bits of entropy here. */
export function newClientSecret(): string {
  return BigInt(`0x${randomBytes(32).toString("hex")}`).toString(36).padStart(50, "0");
}

/** API Gateway REST API ids are 10 lowercase letters and digits. */
export function newRestApiId(): string {
  return randomString(LOWER_ALNUM, 10);
}
