/// Two values encoded as one JSON object, the fields of both side by side: a response that sets the request's
/// context (which recording, which device) beside a library type's own fields, with no copy of either's keys.
/// Their keys must not collide.
struct SideBySide<First: Encodable & Sendable, Second: Encodable & Sendable>: Encodable, Sendable {
    var first: First
    var second: Second

    init(_ first: First, _ second: Second) {
        self.first = first
        self.second = second
    }

    func encode(to encoder: any Encoder) throws {
        try first.encode(to: encoder)
        try second.encode(to: encoder)
    }
}
