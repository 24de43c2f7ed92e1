import Foundation

/// One channel's provider and its settings (`notifications.channels.NAME`), as
/// docs/notifications.md gives them. Secrets are `ChannelSecret`s; every URL is the
/// provider's base (tests point them at a local fake).
public enum ChannelSettings: Sendable, Hashable {
    case webhook(Webhook)
    case ntfy(Ntfy)
    case telegram(Telegram)
    case pushover(Pushover)
    case gotify(Gotify)
    case slack(IncomingWebhook)
    case discord(IncomingWebhook)
    case mattermost(IncomingWebhook)
    case homeAssistant(HomeAssistant)
    case email(Email)

    /// The provider's name as written in `vigie.yaml`.
    public var kind: String {
        switch self {
        case .webhook: return "webhook"
        case .ntfy: return "ntfy"
        case .telegram: return "telegram"
        case .pushover: return "pushover"
        case .gotify: return "gotify"
        case .slack: return "slack"
        case .discord: return "discord"
        case .mattermost: return "mattermost"
        case .homeAssistant: return "homeassistant"
        case .email: return "email"
        }
    }

    public static let kinds = ["webhook", "ntfy", "telegram", "pushover", "gotify", "slack", "discord",
                               "mattermost", "homeassistant", "email"]

    /// Every secret of these settings (what `SecretRedactor` hides).
    public var secrets: [ChannelSecret] {
        switch self {
        case .webhook(let s): return [s.secret]
        case .ntfy(let s): return [s.topic] + (s.token.map { [$0] } ?? [])
        case .telegram(let s): return [s.token]
        case .pushover(let s): return [s.token, s.user]
        case .gotify(let s): return [s.token]
        case .slack(let s), .discord(let s), .mattermost(let s): return [s.url]
        case .homeAssistant(let s):
            switch s.target {
            case .webhook(let id): return [id]
            case .service(_, let token): return [token]
            }
        case .email(let s): return s.password.map { [$0] } ?? []
        }
    }

    /// The generic webhook: a signed JSON POST (Standard Webhooks).
    public struct Webhook: Sendable, Hashable {
        public var url: URL
        public var secret: ChannelSecret
        public init(url: URL, secret: ChannelSecret) {
            self.url = url
            self.secret = secret
        }
    }

    /// ntfy: a JSON publish to the server's root URL.
    public struct Ntfy: Sendable, Hashable {
        public var url: URL
        /// The topic is a password on a public server: kept as a secret.
        public var topic: ChannelSecret
        public var token: ChannelSecret?
        public var tags: [String]
        public init(url: URL, topic: ChannelSecret, token: ChannelSecret? = nil, tags: [String] = []) {
            self.url = url
            self.topic = topic
            self.token = token
            self.tags = tags
        }
    }

    /// Telegram's Bot API `sendMessage`.
    public struct Telegram: Sendable, Hashable {
        public var token: ChannelSecret
        public var chatID: String
        public var apiURL: URL
        public init(token: ChannelSecret, chatID: String, apiURL: URL = URL(string: "https://api.telegram.org")!) {
            self.token = token
            self.chatID = chatID
            self.apiURL = apiURL
        }
    }

    /// Pushover's Message API.
    public struct Pushover: Sendable, Hashable {
        public var token: ChannelSecret
        public var user: ChannelSecret
        public var device: String?
        public var apiURL: URL
        public init(token: ChannelSecret, user: ChannelSecret, device: String? = nil,
                    apiURL: URL = URL(string: "https://api.pushover.net")!) {
            self.token = token
            self.user = user
            self.device = device
            self.apiURL = apiURL
        }
    }

    /// Gotify: `POST /message` with an application token.
    public struct Gotify: Sendable, Hashable {
        public var url: URL
        public var token: ChannelSecret
        public init(url: URL, token: ChannelSecret) {
            self.url = url
            self.token = token
        }
    }

    /// Slack, Discord and Mattermost incoming webhooks: the URL itself is the secret.
    public struct IncomingWebhook: Sendable, Hashable {
        public var url: ChannelSecret
        public var username: String?
        public init(url: ChannelSecret, username: String? = nil) {
            self.url = url
            self.username = username
        }
    }

    /// Home Assistant: a webhook trigger, or the REST `notify` service with a long-lived token.
    public struct HomeAssistant: Sendable, Hashable {
        public enum Target: Sendable, Hashable {
            /// `POST /api/webhook/<id>` (the id is a secret: whoever knows it triggers the automation).
            case webhook(id: ChannelSecret)
            /// `POST /api/services/notify/<service>` with `Authorization: Bearer <token>`.
            case service(name: String, token: ChannelSecret)
        }
        public var url: URL
        public var target: Target
        public init(url: URL, target: Target) {
            self.url = url
            self.target = target
        }
    }

    /// E-mail over SMTP.
    public struct Email: Sendable, Hashable {
        public enum Security: String, Sendable, Hashable {
            /// `smtps://`: TLS from the first byte (port 465 by default).
            case implicitTLS
            /// `smtp://`: plain connection upgraded with STARTTLS, which is required (port 587).
            case startTLS
        }
        public var host: String
        public var port: Int
        public var security: Security
        public var username: String?
        public var password: ChannelSecret?
        public var from: String
        public var to: [String]
        /// PEM file of the certificates to trust instead of the system's (a private relay).
        public var trustRootsPath: String?
        /// The name given in EHLO (default: the host name of this machine, else `localhost`).
        public var heloName: String?
        /// `plain` or `login`; nil: PLAIN when the server offers it, else LOGIN.
        public var auth: AuthMechanism?

        public enum AuthMechanism: String, Sendable, Hashable, CaseIterable {
            case plain = "PLAIN", login = "LOGIN"
        }

        public init(host: String, port: Int, security: Security, username: String? = nil, password: ChannelSecret? = nil,
                    from: String, to: [String], trustRootsPath: String? = nil, heloName: String? = nil,
                    auth: AuthMechanism? = nil) {
            self.host = host
            self.port = port
            self.security = security
            self.username = username
            self.password = password
            self.from = from
            self.to = to
            self.trustRootsPath = trustRootsPath
            self.heloName = heloName
            self.auth = auth
        }
    }
}
