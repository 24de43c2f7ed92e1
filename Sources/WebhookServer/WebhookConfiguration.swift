/// How the notification receiver listens and what it accepts.
package struct WebhookConfiguration: Sendable, Hashable {
    /// The unguessable part of the callback URL: notifications are accepted at
    /// `POST {pathPrefix}/{secret}` only.
    package var secret: String
    /// Path before the secret, `/webhook` by default.
    package var pathPrefix: String
    /// Largest request body accepted; a larger one gets 413 and nothing is stored.
    package var maxBodyBytes: Int
    package var host: String
    /// 0 picks a free port (tests, benchmarks).
    package var port: Int
    /// A connection that sends nothing for this long — no complete request head, no body
    /// bytes, no next request — is closed (`httpServer`).
    package var idleTimeout: Duration
    /// The longest a request may take to arrive, from its complete head to the end of its
    /// body, however slowly the bytes trickle; past it the connection is closed and nothing
    /// of the request is stored (`httpServer`).
    package var requestTimeout: Duration

    package init(secret: String, pathPrefix: String = "/webhook", maxBodyBytes: Int = 4 * 1024 * 1024,
                host: String = "127.0.0.1", port: Int = 8080, idleTimeout: Duration = .seconds(30),
                requestTimeout: Duration = .seconds(60)) {
        self.idleTimeout = idleTimeout
        self.requestTimeout = requestTimeout
        self.secret = secret
        self.pathPrefix = pathPrefix
        self.maxBodyBytes = maxBodyBytes
        self.host = host
        self.port = port
    }

    /// The route pattern Hummingbird matches (`/webhook/:secret`).
    var routePattern: String {
        let trimmed = pathPrefix.hasSuffix("/") ? String(pathPrefix.dropLast()) : pathPrefix
        return trimmed + "/:secret"
    }
}
