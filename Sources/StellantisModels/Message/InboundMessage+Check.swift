import Foundation
import VehicleData

extension InboundMessage {
    /// The receiver's check of one item of a webhook body: a usable `Message` — one the
    /// schema's types accept (`WebhookMessage`) with what a receiver needs that the schema
    /// leaves optional (an event, the one its `type` announces, a remote event's id and
    /// status) — read into an `InboundMessage`, or the reason it is not usable.
    ///
    /// Most items are decided from the parsed JSON alone (`hasUsableShape`); the others are
    /// decoded into `WebhookMessage` from their canonical JSON, which words the precise
    /// error of a malformed item.
    public static func check(_ item: JSONValue) -> Result<InboundMessage, MessageProblem> {
        guard case .object = item else {
            return .failure(MessageProblem("a message must be a JSON object, not \(kind(of: item))"))
        }
        if hasUsableShape(item) { return read(item) }
        let message: WebhookMessage
        do {
            message = try JSONDecoder().decode(WebhookMessage.self, from: Data(MessageJSON.bytes(item)))
        } catch let error as DecodingError {
            return .failure(MessageProblem(describe(error)))
        } catch {
            return .failure(MessageProblem("\(error)"))
        }
        if let problem = validate(message) { return .failure(MessageProblem(problem)) }
        return read(item).map {
            InboundMessage(type: message.type?.rawValue, vin: vin(of: message), eventDate: eventDate(of: message), kind: $0.kind)
        }
    }

    /// The vehicle a decoded message names (as `read` finds it in the JSON).
    package static func vin(of message: WebhookMessage) -> String? {
        if let attribute = message.attributes?.first(where: { $0.key.lowercased() == "vin" }), !attribute.value.isEmpty {
            return attribute.value
        }
        return message.monitorEvent?.vin ?? message.remoteEvent?.vin
    }

    /// The date of a decoded message (as `read` finds it in the JSON).
    package static func eventDate(of message: WebhookMessage) -> String? {
        message.date ?? message.monitorEvent?.eventDate ?? message.remoteEvent?.eventDate
    }

    /// What the schema leaves optional but a receiver needs: an event to process, the
    /// one its `type` announces, and a remote event's id and status.
    package static func validate(_ message: WebhookMessage) -> String? {
        switch message.type?.known {
        case .monitor? where message.monitorEvent == nil:
            return "type is Monitor but monitorEvent is missing"
        case .remote? where message.remoteEvent == nil:
            return "type is Remote but remoteEvent is missing"
        case nil where message.type != nil:
            return "type \"\(message.type!.rawValue)\" is neither Monitor nor Remote"
        default:
            break
        }
        if message.monitorEvent == nil && message.remoteEvent == nil {
            return "neither monitorEvent nor remoteEvent is present"
        }
        if let remote = message.remoteEvent {
            if remote.remoteActionId == nil { return "remoteEvent.remoteActionId is missing" }
            if remote.eventStatus == nil { return "remoteEvent.eventStatus is missing" }
        }
        return nil
    }

    /// A decoding error in a dead letter's words: the path, then what was expected.
    public static func describe(_ error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            var text = ""
            for key in context.codingPath {
                if let index = key.intValue { text += "[\(index)]" } else { text += (text.isEmpty ? "" : ".") + key.stringValue }
            }
            return text.isEmpty ? "the message" : text
        }
        switch error {
        case .typeMismatch(let type, let context):
            return "\(path(context)): expected \(typeName(type))"
        case .valueNotFound(let type, let context):
            return "\(path(context)): expected \(typeName(type)), found null"
        case .keyNotFound(let key, let context):
            let parent = path(context)
            return (parent == "the message" ? "" : parent + ": ") + "missing key \(key.stringValue)"
        case .dataCorrupted(let context):
            return "\(path(context)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Bool.Type: return "a boolean"
        case is Double.Type, is Int.Type: return "a number"
        default:
            let name = "\(type)"
            return name.hasPrefix("Array") ? "an array" : name.hasPrefix("Dictionary") ? "an object" : "an object"
        }
    }

    private static func kind(of value: JSONValue) -> String {
        switch value {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}
