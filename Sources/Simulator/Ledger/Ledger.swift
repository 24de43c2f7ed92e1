import Foundation
import Synchronization
import VehicleData

/// What the platform knows of its own notifications: every POST it made and the answer
/// it got (`vigie sim --ledger`, the crash harness and the end-to-end tests compare it
/// with the receiver's inbox). Thread-safe; kept in memory for the simulator's life.
package final class Ledger: Sendable {
    /// One POST of one or more messages and its answer.
    package struct Delivery: Sendable, Hashable {
        package var seq: Int
        /// The destination (callback id, or a B2B monitor's own callback).
        package var destination: String
        /// The HTTP status of the answer, nil when there was none (refused, time-out).
        package var status: Int?
        /// Each message of the POST (the items of a batch, or the single message).
        package var messages: [JSONValue]
        /// Wall-clock time of the answer.
        package var answeredAt: Date
    }

    private let items = Mutex<[Delivery]>([])

    package init() {}

    /// Records one answered (or unanswered) POST.
    package func record(_ delivery: SimOutbox.Delivery, status: Int?, at: Date = Date()) {
        let messages: [JSONValue]
        switch delivery.json {
        case .array(let batch): messages = batch
        case .object(let object):
            if case .array(let events)? = object["events"] { messages = events } else { messages = [delivery.json] }
        default: messages = [delivery.json]
        }
        items.withLock { items in
            items.append(Delivery(seq: items.count + 1, destination: delivery.destination, status: status,
                                  messages: messages, answeredAt: at))
        }
    }

    /// Every POST so far, in the order the answers came.
    package var deliveries: [Delivery] { items.withLock { $0 } }

    /// The messages of every POST answered 2xx (the platform will not send them again).
    package var acknowledgedMessages: [JSONValue] {
        deliveries.filter { ($0.status ?? 0) / 100 == 2 }.flatMap(\.messages)
    }

    /// `GET /sim/v1/ledger/notifications`.
    package func json() -> JSONValue {
        .object(["deliveries": .array(deliveries.map { d in
            .object(["seq": .number(Double(d.seq)), "destination": .string(d.destination),
                     "status": d.status.map { .number(Double($0)) } ?? .null,
                     "answeredAt": .string(SimTimestamp.format(d.answeredAt)),
                     "messages": .array(d.messages)])
        })])
    }
}
