import Foundation

/// One page of a list: its offset and the links around it.
struct Pager {
    var total: Int
    var size: Int
    var page: Int

    init(total: Int, size: Int, page: Int) {
        self.total = total
        self.size = max(1, size)
        let pages = max(1, (total + self.size - 1) / self.size)
        self.page = min(max(1, page), pages)
    }

    var pages: Int { max(1, (total + size - 1) / size) }
    var offset: Int { (page - 1) * size }

    func data(path: String, query: [String: String], noun: String) -> [String: Any] {
        func link(_ page: Int) -> String {
            var items = query
            items["page"] = String(page)
            return path + "?" + items.keys.sorted().map { "\($0)=\(ConsoleForm.encode(items[$0]!))" }.joined(separator: "&")
        }
        var out: [String: Any] = ["page": page, "pages": pages, "total": total, "noun": noun]
        if page > 1 { out["prev"] = link(page - 1) }
        if page < pages { out["next"] = link(page + 1) }
        return out
    }
}
