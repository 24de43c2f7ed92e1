import Foundation
import VehicleData

/// B2B fleet notifications built from api-b2b-webhook-template-v3.yaml's own schemas
/// (`MonitorEvents`, `RemoteEvents`) with `SchemaInstanceBuilder`: the template decides
/// the keys and nesting; a test decides the vehicles, dates and values. Every message
/// built is checked against the template before it is returned.
package struct FleetTemplateMessages: Sendable {
    /// One monitor event of a fleet.
    package struct MonitorEvent: Sendable {
        package var vin: String
        package var eventDate: String
        package var fleetId: String
        /// `values`: `(data path, literalValue)`.
        package var values: [(data: String, literal: String)]
        /// The body's `status` of a `vehicle.status` extension, when given.
        package var status: JSONValue?
        /// The body's `position` of a `vehicle.position` extension, when given.
        package var position: JSONValue?

        package init(vin: String, eventDate: String, fleetId: String = "fleet-1",
                    values: [(data: String, literal: String)], status: JSONValue? = nil, position: JSONValue? = nil) {
            self.vin = vin
            self.eventDate = eventDate
            self.fleetId = fleetId
            self.values = values
            self.status = status
            self.position = position
        }
    }

    /// One remote event of a fleet.
    package struct RemoteEvent: Sendable {
        package var remoteActionId: String
        package var vin: String
        package var eventDate: String
        package var type: String
        package var status: String
        package var failureCause: String?

        package init(remoteActionId: String, vin: String, eventDate: String, type: String, status: String,
                    failureCause: String? = nil) {
            self.remoteActionId = remoteActionId
            self.vin = vin
            self.eventDate = eventDate
            self.type = type
            self.status = status
            self.failureCause = failureCause
        }
    }

    package struct Invalid: Error, CustomStringConvertible {
        package var violations: [JSONSchemaViolation]
        package var description: String { "built message breaks the template: \(violations)" }
    }

    package let document: OpenAPIDocument
    private let validator: JSONSchemaValidator

    package init() throws {
        document = try OpenAPIDocument.official("api-b2b-webhook-template-v3.yaml")
        validator = JSONSchemaValidator(document: document)
    }

    /// A `MonitorEvents` body: one event per item of `events` (a batch when several).
    package func monitorEvents(monitorId: String, attributes: [(String, String)] = [],
                              _ events: [MonitorEvent]) throws -> JSONValue {
        let builder = SchemaInstanceBuilder(document: document)
        let body = try builder.instance(of: "MonitorEvents") { path in
            switch path {
            case "monitorId": return .value(.string(monitorId))
            case "attributes": return .items(attributes.count)
            case "events": return .items(events.count)
            default: break
            }
            if let (index, rest) = Self.split(path, "attributes") {
                return rest == "key" ? .value(.string(attributes[index].0))
                    : rest == "value" ? .value(.string(attributes[index].1)) : .generate
            }
            guard let (index, rest) = Self.split(path, "events") else { return .generate }
            return Self.choose(rest, events[index])
        }
        return try checked(body, "MonitorEvents")
    }

    /// A `RemoteEvents` body: one event per item of `events`.
    package func remoteEvents(callbackId: String, _ events: [RemoteEvent]) throws -> JSONValue {
        let builder = SchemaInstanceBuilder(document: document)
        let body = try builder.instance(of: "RemoteEvents") { path in
            switch path {
            case "callbackId": return .value(.string(callbackId))
            case "attributes": return .items(0)
            case "events": return .items(events.count)
            default: break
            }
            guard let (index, rest) = Self.split(path, "events") else { return .generate }
            let event = events[index]
            switch rest {
            case "remoteActionId": return .value(.string(event.remoteActionId))
            case "vin": return .value(.string(event.vin))
            case "eventDate": return .value(.string(event.eventDate))
            case "remoteType": return .generate
            case "eventStatus.type": return .value(.string(event.type))
            case "eventStatus.status": return .value(.string(event.status))
            case "eventStatus.failureCause": return event.failureCause.map { .value(.string($0)) } ?? .omit
            case "eventStatus.feedbackDetail": return .omit
            default: return .generate
            }
        }
        return try checked(body, "RemoteEvents")
    }

    /// Violations of `value` against one of the template's schemas.
    package func violations(_ value: JSONValue, schema: String) throws -> [JSONSchemaViolation] {
        try validator.validate(value, schemaNamed: schema)
    }

    private func checked(_ value: JSONValue, _ schema: String) throws -> JSONValue {
        let violations = try validator.validate(value, schemaNamed: schema)
        guard violations.isEmpty else { throw Invalid(violations: violations) }
        return value
    }

    private static func choose(_ rest: String, _ event: MonitorEvent) -> SchemaInstanceBuilder.Choice {
        var extensions: [(type: String, key: String, value: JSONValue)] = []
        if let status = event.status { extensions.append(("vehicle.status", "status", status)) }
        if let position = event.position { extensions.append(("vehicle.position", "position", position)) }
        switch rest {
        case "vin": return .value(.string(event.vin))
        case "eventDate": return .value(.string(event.eventDate))
        case "fleetId": return .value(.string(event.fleetId))
        case "refresh": return .value(.bool(false))
        case "values": return .items(event.values.count)
        case "extensions": return .items(extensions.count)
        default: break
        }
        if let (j, field) = split(rest, "values") {
            switch field {
            case "data": return .value(.string(event.values[j].data))
            case "value.type": return .value(.string("string"))
            case "value.body.literalValue": return .value(.string(event.values[j].literal))
            case "value.body.objectValues": return .omit
            default: return .generate
            }
        }
        if let (k, field) = split(rest, "extensions") {
            let ext = extensions[k]
            if field == "type" { return .value(.string(ext.type)) }
            if field == "body" { return .generate }
            // The body "is made up of one of the fields below": only the one of its type.
            if field.hasPrefix("body.") { return field == "body." + ext.key ? .value(ext.value) : .omit }
        }
        return .generate
    }

    /// `name[3].rest` → (3, "rest"); `name[3]` → (3, "").
    private static func split(_ path: String, _ name: String) -> (Int, String)? {
        guard path.hasPrefix(name + "["), let close = path.firstIndex(of: "]") else { return nil }
        let digits = path[path.index(path.startIndex, offsetBy: name.count + 1)..<close]
        guard let index = Int(digits) else { return nil }
        var rest = path[path.index(after: close)...]
        if rest.hasPrefix(".") { rest = rest.dropFirst() }
        return (index, String(rest))
    }
}
