import Crypto
import Foundation

/// Signs a body as Standard Webhooks does (DESIGN.md "Notifications"):
/// `v1,` + base64(HMAC-SHA256(key, id + "." + timestamp + "." + body)), where the key is the
/// secret's bytes, or, for a secret written `whsec_<base64>`, the decoded bytes.
package struct StandardWebhookSigner: Sendable {
    private let key: SymmetricKey

    package enum KeyError: Error, CustomStringConvertible {
        case badBase64
        package var description: String { "a secret written whsec_… must be base64 after the prefix" }
    }

    package init(secret: ChannelSecret) throws {
        let value = secret.reveal()
        if value.hasPrefix("whsec_") {
            guard let data = Data(base64Encoded: String(value.dropFirst("whsec_".count))), !data.isEmpty else {
                throw KeyError.badBase64
            }
            key = SymmetricKey(data: data)
        } else {
            key = SymmetricKey(data: Data(value.utf8))
        }
    }

    /// The `webhook-signature` header's value.
    package func signature(id: String, timestamp: Int, body: [UInt8]) -> String {
        var content = Data("\(id).\(timestamp).".utf8)
        content.append(contentsOf: body)
        let mac = HMAC<SHA256>.authenticationCode(for: content, using: key)
        return "v1," + Data(mac).base64EncodedString()
    }
}
