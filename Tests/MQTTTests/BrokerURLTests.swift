import MQTT
import Testing

@Suite struct BrokerURLTests {
    @Test func plainURLWithUserPortAndSite() throws {
        let url = try BrokerURL(parsing: "mqtt://edge@broker.lab:1884/field-station")
        #expect(url == BrokerURL(scheme: .mqtt, host: "broker.lab", port: 1884, username: "edge", site: "field-station"))
        #expect(!url.usesTLS)
        #expect(url.description == "mqtt://edge@broker.lab:1884/field-station")
    }

    @Test func defaultPortsFollowTheScheme() throws {
        #expect(try BrokerURL(parsing: "mqtt://h/s").port == 1883)
        #expect(try BrokerURL(parsing: "mqtts://h/s").port == 8883)
        #expect(try BrokerURL(parsing: "MQTTS://h/s").usesTLS)
    }

    @Test func bracketedIPv6Host() throws {
        let url = try BrokerURL(parsing: "mqtts://[::1]:8884/lab1")
        #expect(url.host == "::1")
        #expect(url.port == 8884)
        #expect(url.description == "mqtts://[::1]:8884/lab1")
    }

    @Test(arguments: [
        ("broker:1883/lab", BrokerURLError.notAURL("broker:1883/lab")),
        ("http://broker/lab", .unknownScheme("http")),
        ("mqtt://edge:secret@broker/lab", .passwordInURL),
        ("mqtt://@broker/lab", .emptyUsername),
        ("mqtt://broker:0/lab", .badPort("0")),
        ("mqtt://broker:65536/lab", .badPort("65536")),
        ("mqtt://broker:x/lab", .badPort("x")),
        ("mqtt://broker:1883", .missingSite),
        ("mqtt://broker/", .missingSite),
        ("mqtt://broker/lab/+", .badSite("lab/+")),
        ("mqtt://broker/#", .badSite("#")),
        ("mqtt://broker/$SYS", .badSite("$SYS")),
        ("mqtt://:1883/lab", .badHost(":1883")),
        ("mqtt://[::1/lab", .badHost("[::1")),
    ])
    func refusesWhatIsNotABrokerURL(text: String, error: BrokerURLError) {
        #expect(throws: error) { try BrokerURL(parsing: text) }
    }
}
