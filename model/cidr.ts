/** CIDR syntax check for source-IP allow-lists (the resource policy's aws:SourceIp). */
import { isIP } from "node:net";

export function isCidr(value: string): boolean {
  const match = /^([^/]+)\/(\d{1,3})$/.exec(value);
  if (!match) return false;
  const version = isIP(match[1]!);
  const bits = Number(match[2]);
  return (version === 4 && bits <= 32) || (version === 6 && bits <= 128);
}
