/**
 * Audience profiles: an account's audience shares packed in one blob (`account_features.audience_profile`), so the
 * discovery index loads a million audiences in one read of a million rows instead of twenty million share rows.
 * Entries of 6 bytes, little endian: the `audience_keys.id` (uint16) and the share (float32, as the index keeps it).
 */
export const PROFILE_ENTRY_BYTES = 6;

export function encodeAudienceProfile(keyIds: readonly number[], shares: readonly number[]): Buffer {
  const buffer = Buffer.allocUnsafe(keyIds.length * PROFILE_ENTRY_BYTES);
  for (let i = 0; i < keyIds.length; i++) {
    buffer.writeUInt16LE(keyIds[i]!, i * PROFILE_ENTRY_BYTES);
    buffer.writeFloatLE(shares[i]!, i * PROFILE_ENTRY_BYTES + 2);
  }
  return buffer;
}

/** Calls `entry(keyId, share)` for each entry of a profile. */
export function forEachProfileEntry(profile: Uint8Array, entry: (keyId: number, share: number) => void): void {
  const view = new DataView(profile.buffer, profile.byteOffset, profile.byteLength);
  for (let offset = 0; offset + PROFILE_ENTRY_BYTES <= profile.byteLength; offset += PROFILE_ENTRY_BYTES) {
    entry(view.getUint16(offset, true), view.getFloat32(offset + 2, true));
  }
}
