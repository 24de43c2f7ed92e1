/// A vehicle alert (`Alert`): `type` is one of the long `AlertMsgEnum` list, kept as text.
public struct Alert: Sendable, Hashable {
    public enum Severity: String, Sendable, Hashable, CaseIterable {
        case information = "Information", warning = "Warning", critical = "Critical"
    }

    public var id: String
    public var active: Bool
    public var type: String
    public var severity: OpenEnum<Severity>?
    public var startedAt: String?
    public var endAt: String?
    public var createdAt: String?
    public var updatedAt: String?
    public var startPosition: Position?
    public var endPosition: Position?
    public var links: HALLinks

    public init(id: String, active: Bool, type: String, severity: OpenEnum<Severity>? = nil, startedAt: String? = nil,
                endAt: String? = nil, createdAt: String? = nil, updatedAt: String? = nil,
                startPosition: Position? = nil, endPosition: Position? = nil, links: HALLinks = [:]) {
        self.id = id
        self.active = active
        self.type = type
        self.severity = severity
        self.startedAt = startedAt
        self.endAt = endAt
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.startPosition = startPosition
        self.endPosition = endPosition
        self.links = links
    }
}

extension Alert: HALCollectionItem {
    public static var collectionKey: String { "alerts" }
}

extension Alert: Codable {
    enum CodingKeys: String, CodingKey {
        case id, active, type, severity, startedAt, endAt, createdAt, updatedAt, startPosition, endPosition
        case links = "_links"
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        id = try c.decode(String.self, forKey: .id)
        active = try c.decodeIfPresent(Bool.self, forKey: .active) ?? false
        type = try c.decodeIfPresent(String.self, forKey: .type) ?? ""
        severity = try c.decodeIfPresent(OpenEnum<Severity>.self, forKey: .severity)
        startedAt = try c.decodeIfPresent(String.self, forKey: .startedAt)
        endAt = try c.decodeIfPresent(String.self, forKey: .endAt)
        createdAt = try c.decodeIfPresent(String.self, forKey: .createdAt)
        updatedAt = try c.decodeIfPresent(String.self, forKey: .updatedAt)
        startPosition = try c.decodeIfPresent(Position.self, forKey: .startPosition)
        endPosition = try c.decodeIfPresent(Position.self, forKey: .endPosition)
        links = try c.decodeIfPresent(HALLinks.self, forKey: .links) ?? [:]
    }
}
