// Letters and digits a person can read out and retype without confusion (no 0/O, 1/l/I).
const alphabet = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** A random first password of 16 characters (about 94 bits), for an admin to hand over. */
export function suggestPassword(random: (bytes: Uint8Array) => Uint8Array = (bytes) => crypto.getRandomValues(bytes)): string {
  // 256 is no multiple of the alphabet's length: a byte past its last whole round is drawn again,
  // so that every character is equally likely.
  const limit = 256 - (256 % alphabet.length);
  let password = '';
  while (password.length < 16) {
    for (const byte of random(new Uint8Array(16))) {
      if (byte < limit && password.length < 16) password += alphabet[byte % alphabet.length];
    }
  }
  return password;
}
