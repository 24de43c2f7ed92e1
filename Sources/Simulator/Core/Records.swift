import Foundation
import VehicleData

/// Who makes a call: a B2C user (OAuth2 bearer) or a B2B fleet owner (Basic auth).
package enum SimPrincipal: Sendable, Hashable {
    case user(String, clientId: String)
    case fleet(String, clientId: String)

    var clientId: String {
        switch self { case .user(_, let c), .fleet(_, let c): return c }
    }
}

struct CallbackRecord: Sendable {
    var id: String
    var owner: SimPrincipal
    var spec: CallbackSpec
    var status: String          // Running | Paused
    var createdAt: Date
}

struct MonitorRecord: Sendable {
    var id: String
    var owner: SimPrincipal
    /// The watched vehicle (B2C), or nil: every vehicle of the fleet (B2B).
    var vehicle: Int?
    var callbackId: String?
    var spec: MonitorSpec
    var status: String          // Running | Paused
    var createdAt: Date
    var updatedAt: Date
    var runtimes: [Int: MonitorRuntime] = [:]
}

struct RemoteRecord: Sendable {
    var id: String
    var owner: SimPrincipal
    var vehicle: Int
    var callbackId: String
    var body: JSONValue
    var type: String            // RemoteType
    var status: String          // RemoteActionStatus, latest
    var failureCause: String?
    var done = false
    var createdAt: Date
}

/// A remote's next step, at a simulated instant.
struct ScheduledStep: Sendable {
    enum Step: Sendable { case wake, send, finish, failBusy }
    var at: Date
    var seq: Int
    var remote: String
    var step: Step
}
