import Foundation
import StellantisModels

extension VigieConfig {
    /// Which API: B2C (`/connectedcar/v4/user/…`, OAuth2 bearer + realm) or B2B
    /// (`/connectedcar/v3/fleets/{fid}/…`, HTTP Basic).
    package enum APIKind: String, Sendable, Hashable, CaseIterable {
        case b2c, b2b
    }

    /// The `api:` section.
    package struct API: Sendable {
        package var kind: APIKind
        package var baseURL: URL
        package var clientID: String
        /// B2C: the OAuth2 client secret (token refresh); B2B: the HTTP Basic password.
        package var clientSecret: Secret?
        /// Mutual TLS: client certificate (PEM) and its key; nil for plain TLS or a local simulator.
        package var certificatePath: String?
        package var keyPath: String?
        /// A CA bundle (PEM) to trust instead of the system's.
        package var trustRootsPath: String?
        /// The brand (its realm and token endpoint), B2C.
        package var brand: Brand?
        /// `x-introspect-realm` (B2C); defaults to the brand's.
        package var realm: String?
        /// The OAuth2 token endpoint (B2C); defaults to the brand's.
        package var tokenURL: URL?
        /// Where the B2C session's tokens are kept (JSON, mode 0600).
        package var tokenStorePath: String?
        /// The fleet id (B2B).
        package var fleetID: String?
        /// Deadline of one API operation, retries included (seconds).
        package var requestTimeout: Double
        /// How `vigie login` signs in (B2C): authorize and revoke endpoints, redirect URI, scopes.
        package var oauth = OAuth()

        package init(kind: APIKind = .b2c, baseURL: URL = URL(string: "https://api.groupe-psa.com/connectedcar/v4")!,
                    clientID: String = "", clientSecret: Secret? = nil, certificatePath: String? = nil,
                    keyPath: String? = nil, trustRootsPath: String? = nil, brand: Brand? = nil,
                    realm: String? = nil, tokenURL: URL? = nil, tokenStorePath: String? = nil,
                    fleetID: String? = nil, requestTimeout: Double = 30) {
            self.kind = kind
            self.baseURL = baseURL
            self.clientID = clientID
            self.clientSecret = clientSecret
            self.certificatePath = certificatePath
            self.keyPath = keyPath
            self.trustRootsPath = trustRootsPath
            self.brand = brand
            self.realm = realm
            self.tokenURL = tokenURL
            self.tokenStorePath = tokenStorePath
            self.fleetID = fleetID
            self.requestTimeout = requestTimeout
        }

        /// The realm header value: `realm`, else the brand's.
        package var effectiveRealm: String? { realm ?? brand?.realm }
    }

    /// The `callback:` section. The webhook target is `publicURL` + `/webhook/<secret>`.
    package struct Callback: Sendable {
        /// The receiver's public base URL as the API reaches it (HTTPS in production).
        package var publicURL: URL
        /// The unguessable path segment authenticating notifications.
        package var webhookSecret: Secret
        /// The callback's label (Vigie finds its callback by this label).
        package var label: String
        /// Batch notifications (when the API allows it).
        package var batch: Bool

        package init(publicURL: URL = URL(string: "http://127.0.0.1:8080")!,
                    webhookSecret: Secret = Secret(""), label: String = "vigie", batch: Bool = true) {
            self.publicURL = publicURL
            self.webhookSecret = webhookSecret
            self.label = label
            self.batch = batch
        }

        /// `publicURL` + `/webhook/<secret>` (contains the secret: never log it).
        package func webhookTarget() -> String {
            var base = publicURL.absoluteString
            while base.hasSuffix("/") { base.removeLast() }
            return base + "/webhook/" + webhookSecret.reveal()
        }
    }

    /// The `listen:` section.
    package struct Listen: Sendable, Hashable {
        package var host: String
        /// 0 picks a free port.
        package var port: Int
        package init(host: String = "127.0.0.1", port: Int = 8080) {
            self.host = host
            self.port = port
        }
    }

    /// The `budgets:` section: per vehicle and calendar day (and month, for
    /// `wakeUpsPerMonth`) in `timeZone`.
    package struct Budgets: Sendable, Hashable {
        package var commandsPerDay: Int
        package var wakeUpsPerDay: Int
        /// nil: no monthly wake-up cap.
        package var wakeUpsPerMonth: Int?
        /// IANA time-zone identifier whose calendar days and months are counted.
        package var timeZone: String
        package init(commandsPerDay: Int = 10, wakeUpsPerDay: Int = 2, wakeUpsPerMonth: Int? = nil,
                    timeZone: String = "UTC") {
            self.commandsPerDay = commandsPerDay
            self.wakeUpsPerDay = wakeUpsPerDay
            self.wakeUpsPerMonth = wakeUpsPerMonth
            self.timeZone = timeZone
        }
    }

    /// The `safety:` section (read by `SafetyPolicy`, docs/safety.md).
    package struct Safety: Sendable, Hashable {
        /// Everything paused while set (no command is sent).
        package var paused: Bool
        /// Flapping: more than `flapMaxRises` rises within `flapWindow` seconds.
        package var flapWindow: Double
        package var flapMaxRises: Int
        /// Loops: more than `loopMaxFirings` firings within `loopWindow` seconds.
        package var loopWindow: Double
        package var loopMaxFirings: Int

        package init(paused: Bool = false, flapWindow: Double = 600, flapMaxRises: Int = 4,
                    loopWindow: Double = 3600, loopMaxFirings: Int = 6) {
            self.paused = paused
            self.flapWindow = flapWindow
            self.flapMaxRises = flapMaxRises
            self.loopWindow = loopWindow
            self.loopMaxFirings = loopMaxFirings
        }
    }
}
