import Foundation
import Yams

extension VigieConfig {
    /// The `admin:` section: where the admin listener (`/metrics`, `/healthz`, `/readyz`,
    /// the control API) listens — loopback by default — and the bearer token the control
    /// API requires (`{env: NAME}` or `{file: PATH}`; none: the control API answers 403).
    package struct Admin: Sendable, Hashable {
        package var listen: Listen
        package var token: Secret?

        package init(listen: Listen = Listen(host: "127.0.0.1", port: 9464), token: Secret? = nil) {
            self.listen = listen
            self.token = token
        }
    }

    /// `admin: {listen: HOST:PORT, token: {env: NAME} | {file: PATH}}`.
    mutating func readAdmin(_ node: Node, _ r: inout ConfigReader) {
        guard let map = r.mapping(node, "admin", allowed: ["listen", "token"]) else { return }
        if let n = map["listen"] {
            if let text = r.string(n, "admin.listen"), let colon = text.lastIndex(of: ":"), colon != text.startIndex,
               let port = Int(text[text.index(after: colon)...]), (0 ... 65535).contains(port) {
                admin.listen = Listen(host: String(text[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]")),
                                      port: port)
            } else {
                r.fail(n, "admin.listen must be HOST:PORT (e.g. 127.0.0.1:9464)")
            }
        }
        if let n = map["token"] { admin.token = r.secret(n, "admin.token") }
    }
}
