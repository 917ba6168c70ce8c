extension Frame {
    /// What a device answers when this frame's message does not parse (PROTOCOL.md §7): UNKNOWN_TYPE
    /// for a type it does not know, BAD_LENGTH for a request whose payload is malformed, and nothing for a reply
    /// (a device never answers a reply). Every emulated firmware answers the same way, so the rule lives here.
    public func errorReply(for error: MessageError) -> Message? {
        if case .unknownType = error { return .errorReply(type.reply, .unknownType) }
        return type.isReply ? nil : .errorReply(type.reply, .badLength)
    }
}
