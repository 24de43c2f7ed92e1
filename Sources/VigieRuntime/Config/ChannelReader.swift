import Foundation
import Notifications
import Yams

/// Reads one provider's settings under `notifications.channels.NAME.KIND`
/// (docs/notifications.md gives every key). Secrets only from `{env:}`/`{file:}`.
struct ChannelReader {
    let what: String

    func read(_ kind: String, _ node: Node, _ r: inout ConfigReader) -> ChannelSettings? {
        switch kind {
        case "webhook": return webhook(node, &r)
        case "ntfy": return ntfy(node, &r)
        case "telegram": return telegram(node, &r)
        case "pushover": return pushover(node, &r)
        case "gotify": return gotify(node, &r)
        case "slack", "discord", "mattermost": return incoming(kind, node, &r)
        case "homeassistant": return homeAssistant(node, &r)
        default: return email(node, &r)
        }
    }

    func secret(_ map: [String: Node], _ key: String, at node: Node, _ r: inout ConfigReader,
                required: Bool = true) -> ChannelSecret? {
        guard let n = required ? r.required(map, key, in: what, at: node) : map[key] else { return nil }
        guard let secret = r.secret(n, "\(what).\(key)") else { return nil }
        return ChannelSecret(secret.reveal(), source: secret.source.description)
    }

    func url(_ map: [String: Node], _ key: String, at node: Node, _ r: inout ConfigReader, default fallback: String? = nil) -> URL? {
        guard let n = map[key] else {
            if let fallback { return URL(string: fallback) }
            r.fail(node, "\(what): missing `\(key)`")
            return nil
        }
        return r.url(n, "\(what).\(key)")
    }

    func webhook(_ node: Node, _ r: inout ConfigReader) -> ChannelSettings? {
        guard let map = r.mapping(node, what, allowed: ["url", "secret"]) else { return nil }
        let url = url(map, "url", at: node, &r), secret = secret(map, "secret", at: node, &r)
        guard let url, let secret else { return nil }
        if (try? StandardWebhookSigner(secret: secret)) == nil {
            r.fail(map["secret"], "\(what).secret (from \(secret.source)): a secret written whsec_… must be base64 after the prefix")
            return nil
        }
        return .webhook(.init(url: url, secret: secret))
    }

    func ntfy(_ node: Node, _ r: inout ConfigReader) -> ChannelSettings? {
        guard let map = r.mapping(node, what, allowed: ["url", "topic", "token", "tags"]) else { return nil }
        let url = url(map, "url", at: node, &r, default: "https://ntfy.sh")
        var topic: ChannelSecret?
        if let n = r.required(map, "topic", in: what, at: node) {
            // A topic is a password on a public server: {env:}/{file:} is best, a plain name is accepted.
            if let plain = n.scalar?.string { topic = plain.isEmpty ? nil : ChannelSecret(plain, source: "vigie.yaml") }
            else { topic = secret(map, "topic", at: node, &r) }
            if topic == nil, n.scalar != nil { r.fail(n, "\(what).topic must not be empty") }
        }
        let token = secret(map, "token", at: node, &r, required: false)
        let tags = map["tags"].flatMap { r.strings($0, "\(what).tags") } ?? []
        guard let url, let topic else { return nil }
        return .ntfy(.init(url: url, topic: topic, token: token, tags: tags))
    }

    func telegram(_ node: Node, _ r: inout ConfigReader) -> ChannelSettings? {
        guard let map = r.mapping(node, what, allowed: ["token", "chat_id", "api_url"]) else { return nil }
        let token = secret(map, "token", at: node, &r)
        let chat = r.required(map, "chat_id", in: what, at: node).flatMap { r.string($0, "\(what).chat_id") }
        let api = url(map, "api_url", at: node, &r, default: "https://api.telegram.org")
        guard let token, let chat, let api else { return nil }
        return .telegram(.init(token: token, chatID: chat, apiURL: api))
    }

    func pushover(_ node: Node, _ r: inout ConfigReader) -> ChannelSettings? {
        guard let map = r.mapping(node, what, allowed: ["token", "user", "device", "api_url"]) else { return nil }
        let token = secret(map, "token", at: node, &r), user = secret(map, "user", at: node, &r)
        let device = map["device"].flatMap { r.string($0, "\(what).device") }
        let api = url(map, "api_url", at: node, &r, default: "https://api.pushover.net")
        guard let token, let user, let api else { return nil }
        return .pushover(.init(token: token, user: user, device: device, apiURL: api))
    }

    func gotify(_ node: Node, _ r: inout ConfigReader) -> ChannelSettings? {
        guard let map = r.mapping(node, what, allowed: ["url", "token"]) else { return nil }
        let url = url(map, "url", at: node, &r), token = secret(map, "token", at: node, &r)
        guard let url, let token else { return nil }
        return .gotify(.init(url: url, token: token))
    }

    func incoming(_ kind: String, _ node: Node, _ r: inout ConfigReader) -> ChannelSettings? {
        guard let map = r.mapping(node, what, allowed: ["url", "username"]) else { return nil }
        // The incoming webhook's URL carries its token: a secret.
        let url = secret(map, "url", at: node, &r)
        let username = map["username"].flatMap { r.string($0, "\(what).username") }
        guard let url else { return nil }
        let text = url.reveal()
        guard let parsed = URL(string: text), ["http", "https"].contains(parsed.scheme?.lowercased() ?? ""), parsed.host != nil else {
            r.fail(map["url"], "\(what).url (from \(url.source)) must be an http:// or https:// URL")
            return nil
        }
        let settings = ChannelSettings.IncomingWebhook(url: url, username: username)
        switch kind {
        case "slack": return .slack(settings)
        case "discord": return .discord(settings)
        default: return .mattermost(settings)
        }
    }

    func homeAssistant(_ node: Node, _ r: inout ConfigReader) -> ChannelSettings? {
        guard let map = r.mapping(node, what, allowed: ["url", "webhook_id", "service", "token"]) else { return nil }
        let url = url(map, "url", at: node, &r)
        let target: ChannelSettings.HomeAssistant.Target?
        switch (map["webhook_id"] != nil, map["service"] != nil) {
        case (true, false):
            if map["token"] != nil { r.fail(map["token"], "\(what).token goes with `service`, not `webhook_id`") }
            target = secret(map, "webhook_id", at: node, &r).map { .webhook(id: $0) }
        case (false, true):
            let service = map["service"].flatMap { r.string($0, "\(what).service") }
            let token = secret(map, "token", at: node, &r)
            target = service.flatMap { s in token.map { .service(name: s, token: $0) } }
        default:
            r.fail(node, "\(what) takes either `webhook_id` (a webhook trigger) or `service` and `token` (the notify service)")
            target = nil
        }
        guard let url, let target else { return nil }
        return .homeAssistant(.init(url: url, target: target))
    }

    func email(_ node: Node, _ r: inout ConfigReader) -> ChannelSettings? {
        let keys = ["smtp", "username", "password", "from", "to", "trust_roots", "helo", "auth"]
        guard let map = r.mapping(node, what, allowed: keys) else { return nil }
        var endpoint: (String, Int, ChannelSettings.Email.Security)?
        if let n = r.required(map, "smtp", in: what, at: node), let text = r.string(n, "\(what).smtp") {
            endpoint = Self.smtpEndpoint(text)
            if endpoint == nil {
                r.fail(n, "\(what).smtp must be smtps://HOST[:PORT] (implicit TLS, 465) or smtp://HOST[:PORT] (STARTTLS, 587)")
            }
        }
        let username = map["username"].flatMap { r.string($0, "\(what).username") }
        let password = secret(map, "password", at: node, &r, required: false)
        if (username == nil) != (password == nil) {
            r.fail(map["username"] ?? map["password"] ?? node, "\(what): `username` and `password` go together")
        }
        let from = r.required(map, "from", in: what, at: node).flatMap { r.string($0, "\(what).from") }
        let to = r.required(map, "to", in: what, at: node).flatMap { r.strings($0, "\(what).to") }
        for (key, value) in [("from", from.map { [$0] }), ("to", to)] {
            for address in value ?? [] where !Self.isAddress(address) {
                r.fail(map[key], "\(what).\(key): `\(address)` is not an address like name@example.com")
            }
        }
        if let to, to.isEmpty { r.fail(map["to"], "\(what).to needs at least one address") }
        let trust = map["trust_roots"].flatMap { r.path($0, "\(what).trust_roots") }
        if let trust, !FileManager.default.isReadableFile(atPath: trust) { r.fail(map["trust_roots"], "\(what).trust_roots: cannot read \(trust)") }
        let helo = map["helo"].flatMap { r.string($0, "\(what).helo") }
        var auth: ChannelSettings.Email.AuthMechanism?
        if let n = map["auth"], let text = r.string(n, "\(what).auth") {
            auth = ChannelSettings.Email.AuthMechanism(rawValue: text.uppercased())
            if auth == nil { r.fail(n, "\(what).auth must be plain or login") }
        }
        guard let endpoint, let from, let to, !to.isEmpty else { return nil }
        return .email(.init(host: endpoint.0, port: endpoint.1, security: endpoint.2, username: username, password: password,
                            from: from, to: to, trustRootsPath: trust, heloName: helo, auth: auth))
    }

    /// `smtps://host[:port]` → implicit TLS (465); `smtp://host[:port]` → STARTTLS (587).
    static func smtpEndpoint(_ text: String) -> (String, Int, ChannelSettings.Email.Security)? {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty,
              url.path.isEmpty || url.path == "/", url.user == nil else { return nil }
        switch scheme {
        case "smtps": return (host, url.port ?? 465, .implicitTLS)
        case "smtp": return (host, url.port ?? 587, .startTLS)
        default: return nil
        }
    }

    static func isAddress(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".")
            && !text.contains(where: { $0 == " " || $0 == "<" || $0 == ">" || $0 == "\r" || $0 == "\n" })
    }
}
