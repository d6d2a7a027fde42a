// What a new password must be (NIST SP 800-63B: length, and not a known
// common password; no composition rules). Pure: used by zod schemas on both sides.

export const PASSWORD_MIN = 12
/** Long enough for any passphrase, short enough that hashing it is cheap. */
export const PASSWORD_MAX = 256

// Passwords of 12 characters or more that appear near the top of public
// breach corpora, plus obvious ones for this service. Compared case-insensitively.
const COMMON = new Set(
  [
    '123456789012',
    '1234567890123',
    '12345678901234',
    '123456789123',
    '1234567890qwerty',
    '1q2w3e4r5t6y',
    '1qaz2wsx3edc',
    '1qaz2wsx3edc4rfv',
    'aaaaaaaaaaaa',
    'abc123abc123',
    'abcdefghijkl',
    'abcd1234abcd',
    'administrator',
    'administrator1',
    'asdfghjkl123',
    'asdfasdfasdf',
    'changeme1234',
    'consultation',
    'consultation1',
    'correcthorsebatterystaple',
    'football1234',
    'iloveyou1234',
    'letmein12345',
    'letmeinplease',
    'monkey123456',
    'password1234',
    'password12345',
    'password123456',
    'password!234',
    'passw0rd1234',
    'p@ssw0rd1234',
    'p@ssword1234',
    'qazwsxedcrfv',
    'qwerty123456',
    'qwertyuiop12',
    'qwertyuiopas',
    'qwertyuiop[]',
    'sunshine1234',
    'superman1234',
    'trustno1trustno1',
    'welcome12345',
    'welcome123456',
    'zaq12wsxcde3',
    'zxcvbnm12345',
    'exportcontrol',
    'exportcontrols',
    'humanrights1',
    'humanrights123',
    '000000000000',
    '111111111111',
    '121212121212',
    '123123123123',
    '987654321098',
  ].map((p) => p.toLowerCase()),
)

/** Why a password is refused ('short', 'long', 'common'), or null when it is acceptable. */
export function passwordProblem(
  password: string,
  { email }: { email?: string } = {},
): 'short' | 'long' | 'common' | null {
  const length = [...password].length
  if (length < PASSWORD_MIN) return 'short'
  if (length > PASSWORD_MAX) return 'long'
  const lower = password.toLowerCase()
  if (COMMON.has(lower) || new Set(lower).size <= 2) return 'common'
  if (email && lower === email.trim().toLowerCase()) return 'common'
  return null
}
