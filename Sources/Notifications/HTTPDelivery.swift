import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// Sends one `ProviderRequest` with AsyncHTTPClient within a time-out and reads the answer
/// into a `DeliveryResult`; a time-out or a connection error is retryable. Every text it
/// returns went through the channel's `SecretRedactor`.
package struct HTTPDelivery: Sendable {
    package let client: HTTPClient
    package let timeout: Double
    package let redactor: SecretRedactor
    /// Bodies longer than this are cut when read (a summary needs the start only).
    static let maxBody = 64 * 1024

    package init(client: HTTPClient = .shared, timeout: Double, redactor: SecretRedactor) {
        self.client = client
        self.timeout = timeout
        self.redactor = redactor
    }

    /// Sends `request` and classifies the answer; `summary` reads a 2xx answer, `refine`
    /// (when given) may read a provider-specific answer first (Telegram's `retry_after`).
    package func send(_ request: ProviderRequest,
                     refine: (@Sendable (ProviderResponse) -> DeliveryResult?)? = nil,
                     summary: @Sendable (ProviderResponse) -> String) async -> DeliveryResult {
        let result: DeliveryResult
        do {
            let response = try await perform(request)
            if let refined = refine?(response) { result = refined }
            else { result = ResponseClassifier.classify(response, delivered: summary) }
        } catch {
            result = .retryable(reason: Self.describe(error), retryAfter: nil)
        }
        return redactor.redact(result)
    }

    package func perform(_ request: ProviderRequest) async throws -> ProviderResponse {
        var outgoing = HTTPClientRequest(url: request.url)
        outgoing.method = HTTPMethod(rawValue: request.method)
        for header in request.headers { outgoing.headers.add(name: header.name, value: header.value) }
        if !request.body.isEmpty || request.method != "GET" {
            outgoing.body = .bytes(ByteBuffer(bytes: request.body))
        }
        let deadline = TimeAmount.milliseconds(Int64(timeout * 1000))
        let response = try await client.execute(outgoing, timeout: deadline)
        var headers: [String: String] = [:]
        for (name, value) in response.headers { headers[name.lowercased()] = value }
        var body: [UInt8] = []
        for try await var chunk in response.body {
            if body.count < Self.maxBody, let bytes = chunk.readBytes(length: min(chunk.readableBytes, Self.maxBody - body.count)) {
                body += bytes
            }
        }
        return ProviderResponse(status: Int(response.status.code), headers: headers, body: body)
    }

    /// A short, secret-free description of a transport error (the caller redacts too).
    static func describe(_ error: Error) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .connectTimeout, .writeTimeout:
                return "timed out"
            default:
                return "HTTP client error: \(error)"
            }
        }
        return "cannot reach the provider: \(error)"
    }
}
