/// The vehicle's last known position (`Position`): a GeoJSON Feature whose geometry is a Point.
public struct Position: Sendable, Hashable {
    public enum Kind: String, Sendable, Hashable, CaseIterable { case estimated = "Estimated", acquire = "Acquire" }
    public enum FixStatus: String, Sendable, Hashable, CaseIterable { case twoD = "2D", threeD = "3D" }

    public struct Properties: Sendable, Hashable {
        public var createdAt: String?
        public var updatedAt: String?
        public var heading: Int?
        public var signalQuality: Int?
        public var type: OpenEnum<Kind>?
        public var fixStatus: OpenEnum<FixStatus>?

        public init(createdAt: String? = nil, updatedAt: String? = nil, heading: Int? = nil, signalQuality: Int? = nil,
                    type: OpenEnum<Kind>? = nil, fixStatus: OpenEnum<FixStatus>? = nil) {
            self.createdAt = createdAt
            self.updatedAt = updatedAt
            self.heading = heading
            self.signalQuality = signalQuality
            self.type = type
            self.fixStatus = fixStatus
        }
    }

    public var type: String
    public var geometry: GeoPoint
    public var properties: Properties
    public var links: HALLinks?

    public init(geometry: GeoPoint, properties: Properties, links: HALLinks? = nil) {
        type = "Feature"
        self.geometry = geometry
        self.properties = properties
        self.links = links
    }
}

extension Position.Properties: Codable {}

extension Position: Codable {
    enum CodingKeys: String, CodingKey { case type, geometry, properties, links = "_links" }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        type = try c.decodeIfPresent(String.self, forKey: .type) ?? "Feature"
        geometry = try c.decode(GeoPoint.self, forKey: .geometry)
        properties = try c.decodeIfPresent(Properties.self, forKey: .properties) ?? Properties()
        links = try c.decodeIfPresent(HALLinks.self, forKey: .links)
    }
}
