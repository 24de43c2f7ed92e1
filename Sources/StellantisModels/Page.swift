/// An item of a HAL collection: the key its array has under `_embedded`
/// (`vehicles`, `callbacks`, `remoteActions`, `alerts`, `monitors`, `status`…).
public protocol HALCollectionItem: Codable, Sendable, Hashable {
    static var collectionKey: String { get }
}

/// One page of a HAL collection (`CollectionResult` in the OpenAPI files):
/// `{_links: {self, first, next?, prev?, last?}, total, totalPage, currentPage, _embedded: {<key>: [...]}}`.
public struct Page<Item: HALCollectionItem>: Sendable, Hashable {
    public var links: HALLinks
    public var total: Int
    public var totalPage: Int
    public var currentPage: Int
    public var items: [Item]

    public init(links: HALLinks = [:], total: Int, totalPage: Int, currentPage: Int, items: [Item]) {
        self.links = links
        self.total = total
        self.totalPage = totalPage
        self.currentPage = currentPage
        self.items = items
    }

    /// The `next` link's href, when the server says there is a further page.
    public var nextHref: String? { links["next"]?.href }
}

extension Page: Codable {
    enum CodingKeys: String, CodingKey { case links = "_links", total, totalPage, currentPage, embedded = "_embedded" }

    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        links = try c.decodeIfPresent(HALLinks.self, forKey: .links) ?? [:]
        let embedded = try c.decodeIfPresent([String: [Item]].self, forKey: .embedded) ?? [:]
        items = embedded[Item.collectionKey] ?? []
        total = try c.decodeIfPresent(Int.self, forKey: .total) ?? items.count
        totalPage = try c.decodeIfPresent(Int.self, forKey: .totalPage) ?? 1
        currentPage = try c.decodeIfPresent(Int.self, forKey: .currentPage) ?? 1
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(links, forKey: .links)
        try c.encode(total, forKey: .total)
        try c.encode(totalPage, forKey: .totalPage)
        try c.encode(currentPage, forKey: .currentPage)
        try c.encode([Item.collectionKey: items], forKey: .embedded)
    }
}

extension MonitorState: HALCollectionItem {
    public static var collectionKey: String { "monitors" }
}
