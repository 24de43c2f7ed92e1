import Foundation
import VehicleData

/// An error answer of the API: HTTP status and the error body
/// `{code, uuid, message, timestamp, debug}` (`code` = status × 100 + two digits).
package struct SimAPIError: Error, Sendable, Hashable {
    package var status: Int
    package var code: Int
    package var message: String
    /// Extra headers (e.g. `Retry-After` on a 429).
    package var headers: [String: String] = [:]

    package init(_ status: Int, _ detail: Int, _ message: String) {
        self.status = status
        self.code = status * 100 + detail
        self.message = message
    }

    package var debug: String { "SIM_\(code)" }

    package func body(uuid: String, at date: Date) -> JSONValue {
        .object(["code": .number(Double(code)), "uuid": .string(uuid), "message": .string(message),
                 "timestamp": .string(SimTimestamp.format(date)), "debug": .string(debug)])
    }

    // MARK: - The errors the simulator answers, one helper each.
    static func badJSON(_ why: String) -> SimAPIError { SimAPIError(400, 1, "Malformed JSON body: \(why)") }
    static func invalid(_ what: String) -> SimAPIError { SimAPIError(400, 2, what) }
    static func missingClientId() -> SimAPIError { SimAPIError(400, 5, "Missing client_id query parameter") }
    static func triggerCount(_ n: Int) -> SimAPIError {
        SimAPIError(400, 10, "A monitor needs 1 to 5 triggers, got \(n)")
    }
    static func boolExpSyntax(_ why: String) -> SimAPIError { SimAPIError(400, 11, "Invalid boolExp: \(why)") }
    static func trivialBoolExp(_ always: Bool) -> SimAPIError {
        SimAPIError(400, 12, "boolExp is always \(always): refused")
    }
    static func undeclaredTrigger(_ name: String) -> SimAPIError {
        SimAPIError(400, 13, "boolExp uses undeclared trigger name '\(name)'")
    }
    static func opNotAccepted(_ op: String, _ path: String, _ accepted: [String]) -> SimAPIError {
        SimAPIError(400, 14, "Operator '\(op)' is not accepted for data '\(path)' (accepted: \(accepted.joined(separator: ", ")))")
    }
    static func unknownDataPath(_ path: String) -> SimAPIError { SimAPIError(400, 15, "Unknown trigger data '\(path)'") }
    static func valueCount(_ op: String, _ n: Int) -> SimAPIError {
        SimAPIError(400, 16, "Operator '\(op)' takes \(op == "onChange" ? "no value" : op == "includedIn" ? "one or more values" : "exactly one value"), got \(n)")
    }
    static func invalidTrigger(_ name: String, _ why: String) -> SimAPIError {
        SimAPIError(400, 17, "Trigger '\(name)': \(why)")
    }
    static func triggerName(_ why: String) -> SimAPIError { SimAPIError(400, 18, why) }
    static func tooManyMonitors() -> SimAPIError {
        SimAPIError(400, 20, "At most 5 monitors per vehicle, client id and user")
    }
    static func invalidRemote(_ why: String) -> SimAPIError { SimAPIError(400, 30, "Invalid remote: \(why)") }
    static func callbackType(_ type: String) -> SimAPIError {
        SimAPIError(400, 31, "The callback does not accept \(type) events")
    }
    static func invalidCallback(_ why: String) -> SimAPIError { SimAPIError(400, 40, "Invalid callback: \(why)") }
    static func notSimulatedCallback() -> SimAPIError {
        SimAPIError(400, 41, "websocket and pushnotif callbacks are not simulated: use callback.webhook")
    }
    static func numberTooLarge(_ path: String) -> SimAPIError {
        SimAPIError(400, 3, "\(path): numbers beyond ±2^53 cannot be kept exactly and are refused")
    }
    static func notImplemented(_ method: String, _ path: String) -> SimAPIError {
        SimAPIError(501, 0, "\(method) \(path) is documented by the API but not simulated")
    }
    static func unauthorized(_ why: String) -> SimAPIError { SimAPIError(401, 0, why) }
    static func expiredToken() -> SimAPIError { SimAPIError(401, 1, "Access token expired") }
    static func forbiddenVehicle() -> SimAPIError { SimAPIError(403, 0, "No access to this vehicle") }
    static func forbiddenFleet() -> SimAPIError { SimAPIError(403, 1, "No access to this fleet") }
    static func notFound(_ what: String) -> SimAPIError { SimAPIError(404, 4, "\(what) not found") }
    static func noData() -> SimAPIError { SimAPIError(404, 99, "No data available for such context") }
    static func rateLimited(day: Bool, retryAfter: Int) -> SimAPIError {
        var e = SimAPIError(429, day ? 0 : 1, day ? "Too many requests: daily quota exceeded" : "Too many requests: burst limit exceeded")
        e.headers = ["Retry-After": String(retryAfter), "X-RateLimit-Reset": String(retryAfter)]
        return e
    }
    static func injected() -> SimAPIError { SimAPIError(500, 0, "Internal server error (injected fault)") }
}
