import Foundation
import Hummingbird
import Logging
import NIOCore
import OutcomeStore

/// The receiver's routes: `POST {prefix}/{secret}` for notifications, and nothing else
/// (health, readiness and metrics are on the admin listener).
///
/// A notification request is answered 200 only once every message in it is committed
/// to the inbox (or to dead letters, for items that are not usable messages); 503
/// only when it could not be stored, so that the API sends it again; 401 (nothing
/// read, nothing stored) for a wrong secret; 413 for a body over the limit; 415 for a
/// body declared as something else than JSON.
package struct WebhookController<Context: RequestContext>: Sendable {
    package let configuration: WebhookConfiguration
    package let committer: InboxCommitter
    package let counters: IntakeCounters
    private let matcher: SecretMatcher
    private let parser = NotificationParser()
    private let logger: Logger
    /// Called after each request whose batch stored at least one inbox row, once it is
    /// committed and before the 200 (`vigie serve` wakes its engine with it).
    private let onStored: (@Sendable () -> Void)?

    package init(configuration: WebhookConfiguration, committer: InboxCommitter,
                counters: IntakeCounters = IntakeCounters(), logger: Logger,
                onStored: (@Sendable () -> Void)? = nil) {
        self.configuration = configuration
        self.committer = committer
        self.counters = counters
        self.matcher = SecretMatcher(secret: configuration.secret)
        self.logger = logger
        self.onStored = onStored
    }

    package func addRoutes(to router: Router<Context>) {
        router.post(RouterPath(configuration.routePattern)) { request, context in
            try await receive(request, context: context)
        }
    }

    func receive(_ request: Request, context: Context) async throws -> Response {
        counters.add { $0.requests += 1 }
        guard let secret = context.parameters.get("secret"), matcher.matches(secret) else {
            counters.add { $0.unauthorized += 1 }
            logger.warning("webhook request with a wrong secret refused")
            return Self.json(.unauthorized, ["error": "unauthorized"])
        }
        guard Self.isJSON(contentType: request.headers[.contentType]) else {
            counters.add { $0.unsupportedMediaType += 1 }
            return Self.json(.unsupportedMediaType, ["error": "the body must be application/json"])
        }
        if let length = request.headers[.contentLength].flatMap(Int.init), length > configuration.maxBodyBytes {
            return tooLarge()
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: configuration.maxBodyBytes)
        } catch is NIOTooManyBytesError {
            return tooLarge()
        } catch {
            // The connection closed or timed out (`requestTimeout`) before the body ended.
            counters.add { $0.incompleteBodies += 1 }
            return Self.json(.badRequest, ["error": "the body could not be read"])
        }
        let batch = parser.parse(Data(buffer: buffer), queryVIN: request.uri.queryParameters.get("vin"))
        do {
            let receipt = try await committer.submit(batch)
            counters.add {
                $0.stored += receipt.storedIds.count
                $0.duplicates += receipt.duplicates
                $0.deadLetters += receipt.deadLetters
            }
            logSetAside(batch.deadLetters)
            if !receipt.storedIds.isEmpty { onStored?() }
            return Self.stored(receipt)
        } catch {
            counters.add { $0.storageFailures += 1 }
            logger.error("could not store a notification batch: \(error)")
            // 503: the service cannot store now (disk full, I/O error) but stays up and
            // recovers by itself; the API sends the notification again.
            return Self.json(.serviceUnavailable, ["error": "could not store the notification"])
        }
    }

    /// Each item set aside as a dead letter is logged at warning with its reason (docs/
    /// serve.md) — the first `loggedDeadLettersPerRequest` of a request, then a count, so a
    /// body of junk cannot flood the log. The body itself is never logged.
    private func logSetAside(_ deadLetters: [IntakeBatch.DeadLetter]) {
        for letter in deadLetters.prefix(Self.loggedDeadLettersPerRequest) {
            logger.warning("notification set aside", metadata: ["source": "webhook", "reason": "\(letter.error)"])
        }
        if deadLetters.count > Self.loggedDeadLettersPerRequest {
            logger.warning("notifications set aside", metadata: [
                "source": "webhook", "more": "\(deadLetters.count - Self.loggedDeadLettersPerRequest)",
            ])
        }
    }

    static var loggedDeadLettersPerRequest: Int { 5 }

    private func tooLarge() -> Response {
        counters.add { $0.tooLarge += 1 }
        return Self.json(.contentTooLarge, ["error": "body over \(configuration.maxBodyBytes) bytes"])
    }

    /// JSON or unspecified (the API declares `application/json`; a missing header is
    /// tolerated): `application/json`, `text/json` or any `…+json`, with any parameters.
    static func isJSON(contentType: String?) -> Bool {
        guard let contentType else { return true }
        if contentType == "application/json" { return true }   // what the API sends: no Foundation work
        let type = contentType.split(separator: ";", maxSplits: 1).first
            .map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? ""
        return type == "application/json" || type == "text/json" || (type.hasPrefix("application/") && type.hasSuffix("+json"))
    }

    /// The 200 of a stored request: `{"deadLetters":…,"duplicates":…,"stored":…}`, the bytes
    /// `json(_:_:)` writes, spelled directly — `JSONSerialization` (dictionary bridging,
    /// key sorting) cost ~3 % of `vigie serve`'s CPU at every request (BENCHMARKS.md
    /// "Serve latency").
    static func stored(_ receipt: IntakeReceipt) -> Response {
        Response(status: .ok, headers: [.contentType: "application/json"],
                 body: ResponseBody(byteBuffer: ByteBuffer(string: storedText(receipt))))
    }

    package static func storedText(_ receipt: IntakeReceipt) -> String {
        "{\"deadLetters\":\(receipt.deadLetters),\"duplicates\":\(receipt.duplicates),\"stored\":\(receipt.storedIds.count)}"
    }

    /// A small JSON response with sorted keys.
    static func json(_ status: HTTPResponse.Status, _ object: [String: any Sendable]) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return Response(status: status, headers: [.contentType: "application/json"],
                        body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
