import AsyncHTTPClient
import Foundation
import Logging
import StellantisAPI
import StellantisModels

/// The API client a configuration describes: B2C (`/user/…`) or B2B (`/fleets/{fid}/…`).
package enum VigieAPIClient: Sendable {
    case b2c(B2CClient)
    case fleet(FleetClient)

    /// The underlying HTTP client (rate limits, shutdown).
    package var base: StellantisClient {
        switch self {
        case .b2c(let c): return c.client
        case .fleet(let c): return c.client
        }
    }

    /// Every vehicle the account (B2C) or fleet (B2B) sees.
    package func vehicles() async throws -> [Vehicle] {
        switch self {
        case .b2c(let c): return try await c.vehicles()
        case .fleet(let c): return try await c.vehicles()
        }
    }

    /// Every callback of the account (B2C `/user/callbacks`) or fleet (B2B `/remote/callbacks`).
    package func callbacks() async throws -> [Callback] {
        switch self {
        case .b2c(let c): return try await c.callbacks()
        case .fleet(let c): return try await c.callbacks()
        }
    }

    /// The callback Vigie deployed (`vigie apply`), found by its label (`callback.label`).
    package func findCallback(label: String) async throws -> Callback? {
        try await callbacks().first { $0.label == label || $0.subscribe.label == label }
    }

    /// Releases the connections this client opened.
    package func shutdown() async throws { try await base.shutdown() }
}

extension VigieConfig {
    /// Builds the API client of this configuration: base URL and client id; mutual TLS
    /// from `certificate`/`key`; B2C: bearer tokens kept in `token_store`, refreshed with
    /// `client_secret` at the brand's (or `token_url`'s) token endpoint, the realm header;
    /// B2B: HTTP Basic `client_id:client_secret` and the fleet id.
    ///
    /// - Parameter httpClient: a shared HTTP client (its TLS settings then apply; the
    ///   caller shuts it down); by default the client makes its own.
    package func makeAPIClient(httpClient: HTTPClient? = nil,
                              logger: Logger = Logger(label: "vigie.stellantis-api")) throws -> VigieAPIClient {
        let mutualTLS = api.certificatePath.flatMap { cert in
            api.keyPath.map { MutualTLSFiles(certificatePath: cert, privateKeyPath: $0, trustRootsPath: api.trustRootsPath) }
        }
        guard let secret = api.clientSecret else {
            throw StellantisAPIError.configuration("api.client_secret is not set")
        }
        switch api.kind {
        case .b2c:
            guard let realm = api.effectiveRealm else { throw StellantisAPIError.configuration("api.brand or api.realm is not set") }
            guard let tokenStorePath = api.tokenStorePath else { throw StellantisAPIError.configuration("api.token_store is not set") }
            guard let tokenURL = api.tokenURL ?? api.brand.map(OAuthRefresher.defaultTokenURL(for:)) else {
                throw StellantisAPIError.configuration("api.token_url is needed when only api.realm is given")
            }
            let refresher = OAuthRefresher(tokenURL: tokenURL, clientID: api.clientID, clientSecret: secret.reveal(),
                                           httpClient: httpClient ?? HTTPClient.shared, timeout: api.requestTimeout)
            let tokens = try TokenManager(store: FileTokenStore(url: URL(fileURLWithPath: tokenStorePath)), refresher: refresher)
            let configuration = ClientConfiguration(baseURL: api.baseURL, clientID: api.clientID,
                                                    authentication: .bearer(tokens, realm: realm), mutualTLS: mutualTLS,
                                                    requestTimeout: api.requestTimeout)
            return .b2c(B2CClient(client: try StellantisClient(configuration: configuration, httpClient: httpClient, logger: logger)))
        case .b2b:
            guard let fleetID = api.fleetID else { throw StellantisAPIError.configuration("api.fleet_id is not set") }
            let configuration = ClientConfiguration(baseURL: api.baseURL, clientID: api.clientID,
                                                    authentication: .basic(username: api.clientID, password: secret.reveal()),
                                                    mutualTLS: mutualTLS, requestTimeout: api.requestTimeout)
            let client = try StellantisClient(configuration: configuration, httpClient: httpClient, logger: logger)
            return .fleet(FleetClient(client: client, fleetID: fleetID))
        }
    }
}

/// `makeAPIClient(config:)`: the same as `config.makeAPIClient()`.
package func makeAPIClient(config: VigieConfig, httpClient: HTTPClient? = nil,
                          logger: Logger = Logger(label: "vigie.stellantis-api")) throws -> VigieAPIClient {
    try config.makeAPIClient(httpClient: httpClient, logger: logger)
}
