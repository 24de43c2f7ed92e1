import Crypto
import Foundation

/// Compares a presented secret with the configured one in constant time: both are
/// reduced to HMACs under a per-process random key, and the MACs are compared with
/// swift-crypto's constant-time comparison (so neither the content nor the length of
/// the secret leaks through timing).
package struct SecretMatcher: Sendable {
    private let key: SymmetricKey
    private let expected: HashedAuthenticationCode<SHA256>

    package init(secret: String) {
        let key = SymmetricKey(size: .bits256)
        self.key = key
        self.expected = HMAC<SHA256>.authenticationCode(for: Data(secret.utf8), using: key)
    }

    package func matches(_ presented: String) -> Bool {
        HMAC<SHA256>.isValidAuthenticationCode(expected, authenticating: Data(presented.utf8), using: key)
    }
}
