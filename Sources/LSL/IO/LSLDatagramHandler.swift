import NIOCore

/// What the handlers of the UDP sockets (discovery, each stream's service port) share: datagrams in, datagram
/// replies out, and no reaction to a socket error: an ICMP "port unreachable" from a resolver that already left
/// surfaces as one, and the socket stays open.
protocol LSLDatagramHandler: ChannelInboundHandler
where InboundIn == AddressedEnvelope<ByteBuffer>, OutboundOut == AddressedEnvelope<ByteBuffer> {}

extension LSLDatagramHandler {
    /// Queues one reply datagram (the caller flushes).
    func write(_ text: String, to address: SocketAddress, context: ChannelHandlerContext) {
        let reply = AddressedEnvelope(remoteAddress: address, data: context.channel.allocator.buffer(string: text))
        context.write(wrapOutboundOut(reply), promise: nil)
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {}
}
