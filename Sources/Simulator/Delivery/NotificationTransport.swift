import AsyncHTTPClient
import Foundation
import NIOCore

/// Sends a notification POST; answers the HTTP status, or nil when there was none
/// (connection refused, time-out).
package protocol NotificationTransport: Sendable {
    func post(_ delivery: SimOutbox.Delivery) async -> Int?
}

/// The real thing: AsyncHTTPClient, 10 s per attempt.
package final class HTTPNotificationTransport: NotificationTransport {
    private let client: HTTPClient
    private let timeout: TimeAmount

    package init(client: HTTPClient = .shared, timeout: TimeAmount = .seconds(10)) {
        self.client = client
        self.timeout = timeout
    }

    package func post(_ delivery: SimOutbox.Delivery) async -> Int? {
        var request = HTTPClientRequest(url: delivery.url.absoluteString)
        request.method = .POST
        for (name, value) in delivery.headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: delivery.body))
        do {
            let response = try await client.execute(request, timeout: timeout)
            _ = try? await response.body.collect(upTo: 1 << 20)
            return Int(response.status.code)
        } catch {
            return nil
        }
    }
}
