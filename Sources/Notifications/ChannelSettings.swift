import Foundation

/// One channel's provider and its settings (`notifications.channels.NAME`), as
/// docs/notifications.md gives them. Secrets are `ChannelSecret`s; every URL is the
/// provider's base (tests point them at a local fake).
package enum ChannelSettings: Sendable, Hashable {
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
    package var kind: String {
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

    package static let kinds = ["webhook", "ntfy", "telegram", "pushover", "gotify", "slack", "discord",
                               "mattermost", "homeassistant", "email"]

    /// Every secret of these settings (what `SecretRedactor` hides).
    package var secrets: [ChannelSecret] {
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
    package struct Webhook: Sendable, Hashable {
        package var url: URL
        package var secret: ChannelSecret
        package init(url: URL, secret: ChannelSecret) {
            self.url = url
            self.secret = secret
        }
    }

    /// ntfy: a JSON publish to the server's root URL.
    package struct Ntfy: Sendable, Hashable {
        package var url: URL
        /// The topic is a password on a public server: kept as a secret.
        package var topic: ChannelSecret
        package var token: ChannelSecret?
        package var tags: [String]
        package init(url: URL, topic: ChannelSecret, token: ChannelSecret? = nil, tags: [String] = []) {
            self.url = url
            self.topic = topic
            self.token = token
            self.tags = tags
        }
    }

    /// Telegram's Bot API `sendMessage`.
    package struct Telegram: Sendable, Hashable {
        package var token: ChannelSecret
        package var chatID: String
        package var apiURL: URL
        package init(token: ChannelSecret, chatID: String, apiURL: URL = URL(string: "https://api.telegram.org")!) {
            self.token = token
            self.chatID = chatID
            self.apiURL = apiURL
        }
    }

    /// Pushover's Message API.
    package struct Pushover: Sendable, Hashable {
        package var token: ChannelSecret
        package var user: ChannelSecret
        package var device: String?
        package var apiURL: URL
        package init(token: ChannelSecret, user: ChannelSecret, device: String? = nil,
                    apiURL: URL = URL(string: "https://api.pushover.net")!) {
            self.token = token
            self.user = user
            self.device = device
            self.apiURL = apiURL
        }
    }

    /// Gotify: `POST /message` with an application token.
    package struct Gotify: Sendable, Hashable {
        package var url: URL
        package var token: ChannelSecret
        package init(url: URL, token: ChannelSecret) {
            self.url = url
            self.token = token
        }
    }

    /// Slack, Discord and Mattermost incoming webhooks: the URL itself is the secret.
    package struct IncomingWebhook: Sendable, Hashable {
        package var url: ChannelSecret
        package var username: String?
        package init(url: ChannelSecret, username: String? = nil) {
            self.url = url
            self.username = username
        }
    }

    /// Home Assistant: a webhook trigger, or the REST `notify` service with a long-lived token.
    package struct HomeAssistant: Sendable, Hashable {
        package enum Target: Sendable, Hashable {
            /// `POST /api/webhook/<id>` (the id is a secret: whoever knows it triggers the automation).
            case webhook(id: ChannelSecret)
            /// `POST /api/services/notify/<service>` with `Authorization: Bearer <token>`.
            case service(name: String, token: ChannelSecret)
        }
        package var url: URL
        package var target: Target
        package init(url: URL, target: Target) {
            self.url = url
            self.target = target
        }
    }

    /// E-mail over SMTP.
    package struct Email: Sendable, Hashable {
        package enum Security: String, Sendable, Hashable {
            /// `smtps://`: TLS from the first byte (port 465 by default).
            case implicitTLS
            /// `smtp://`: plain connection upgraded with STARTTLS, which is required (port 587).
            case startTLS
        }
        package var host: String
        package var port: Int
        package var security: Security
        package var username: String?
        package var password: ChannelSecret?
        package var from: String
        package var to: [String]
        /// PEM file of the certificates to trust instead of the system's (a private relay).
        package var trustRootsPath: String?
        /// The name given in EHLO (default: the host name of this machine, else `localhost`).
        package var heloName: String?
        /// `plain` or `login`; nil: PLAIN when the server offers it, else LOGIN.
        package var auth: AuthMechanism?

        package enum AuthMechanism: String, Sendable, Hashable, CaseIterable {
            case plain = "PLAIN", login = "LOGIN"
        }

        package init(host: String, port: Int, security: Security, username: String? = nil, password: ChannelSecret? = nil,
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
