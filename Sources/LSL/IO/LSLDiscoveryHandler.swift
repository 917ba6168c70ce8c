import NIOCore
import Synchronization

/// Lets the handlers, created before the responder exists, find it once it does.
final class ResponderBox: Sendable {
    let responder = Mutex<LSLDiscoveryResponder?>(nil)
}

final class LSLDiscoveryHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>
    typealias OutboundOut = AddressedEnvelope<ByteBuffer>
    private let box: ResponderBox

    init(box: ResponderBox) { self.box = box }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = unwrapInboundIn(data)
        guard let responder = box.responder.withLock({ $0 }),
            case .success(.shortinfo(let query, let port, let id)) = LSLDatagramRequest.parse(envelope.data.readableBytesView)
        else { return }
        var to = envelope.remoteAddress
        to.port = port
        for text in responder.answer(query, queryID: id) {
            let reply = AddressedEnvelope(remoteAddress: to, data: context.channel.allocator.buffer(string: text))
            context.write(wrapOutboundOut(reply), promise: nil)
        }
        context.flush()
    }

    func errorCaught(context: ChannelHandlerContext, error: Error) {}
}
