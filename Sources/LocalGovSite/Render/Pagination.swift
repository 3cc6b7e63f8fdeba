/// Splits a list into pages and describes the GOV.UK pagination component for one of them:
/// previous and next links, the first and last page, the current page with its neighbours,
/// and ellipses for the gaps.
struct Pagination {
    let current: Int
    let count: Int
    let base: String

    static func pages<T>(_ items: [T], size: Int) -> [[T]] {
        guard !items.isEmpty else { return [[]] }
        return stride(from: 0, to: items.count, by: size).map { Array(items[$0..<min($0 + size, items.count)]) }
    }

    func context(routes: Routes) -> [String: Any]? {
        guard count > 1 else { return nil }
        var context: [String: Any] = [:]
        if current > 1 {
            context["previous"] = ["url": routes.link(Routes.paged(base, current - 1)), "number": current - 1]
        }
        if current < count {
            context["next"] = ["url": routes.link(Routes.paged(base, current + 1)), "number": current + 1]
        }
        var items: [[String: Any]] = []
        var lastShown = 0
        for number in 1...count where number == 1 || number == count || abs(number - current) <= 1 {
            if number > lastShown + 1 { items.append(["ellipsis": true]) }
            items.append(["number": number, "url": routes.link(Routes.paged(base, number)), "current": number == current])
            lastShown = number
        }
        context["items"] = items
        context["current"] = current
        context["count"] = count
        return context
    }
}
