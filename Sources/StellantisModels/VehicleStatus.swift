/// A vehicle status (`Status`, `GET …/status`). Real payloads stray from the schema
/// (see stellantis-api/README.md), so the body is kept whole as JSON; VehicleData's
/// `StatusDecoder` extracts the fields the rule language knows.
public struct VehicleStatus: Sendable, Hashable {
    public var json: JSONValue

    public init(json: JSONValue) { self.json = json }

    /// `updatedAt`, when the payload has one (it may be null in real payloads).
    public var updatedAt: String? { json["updatedAt"]?.stringValue }

    /// `lastPosition`, when present and well formed.
    public var lastPosition: Position? {
        guard let raw = json["lastPosition"], raw.objectValue != nil else { return nil }
        return try? raw.decoded(as: Position.self)
    }
}

extension VehicleStatus: HALCollectionItem {
    public static var collectionKey: String { "status" }
}

extension VehicleStatus: Codable {
    public init(from decoder: Decoder) throws { json = try JSONValue(from: decoder) }
    public func encode(to encoder: Encoder) throws { try json.encode(to: encoder) }
}
