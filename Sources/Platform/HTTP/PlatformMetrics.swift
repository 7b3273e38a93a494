import NIOConcurrencyHelpers
public import Prometheus

/// The server's Prometheus metrics, served at `/metrics`. Each application has its own
/// registry (no process-wide bootstrap), so tests can run several side by side.
public final class PlatformMetrics: Sendable {
    public let registry = PrometheusCollectorRegistry()
    let mailSent: Counter
    let mailFailed: Counter
    let emailRecoveryRequests: Counter
    let issued: Counter
    let mailboxMessages: Counter
    private let requestCounters = NIOLockedValueBox([String: Counter]())
    private let durations = NIOLockedValueBox([String: DurationHistogram]())

    init() {
        mailSent = registry.makeCounter(
            descriptor: .init(
                namespace: "reclaim", metricName: "mail_sent", unitName: "total", helpText: "Messages handed to the mail transport."),
            labels: [])
        mailFailed = registry.makeCounter(
            descriptor: .init(
                namespace: "reclaim", metricName: "mail_failed", unitName: "total", helpText: "Messages given up after retries."),
            labels: [])
        emailRecoveryRequests = registry.makeCounter(
            descriptor: .init(
                namespace: "reclaim", metricName: "email_recovery_requests", unitName: "total",
                helpText: "QR codes handed in for reserved-e-mail recovery."),
            labels: [])
        issued = registry.makeCounter(
            descriptor: .init(
                namespace: "reclaim", metricName: "authority_issued", unitName: "total",
                helpText: "Reset keys, reset files and verification codes issued."),
            labels: [])
        mailboxMessages = registry.makeCounter(
            descriptor: .init(
                namespace: "reclaim", metricName: "mailbox_messages", unitName: "total",
                helpText: "Messages the recovery mailbox received to the end of their data."),
            labels: [])
    }

    /// Counts one answered request and its duration, by route and status class.
    func record(route: String, status: Int, duration: Duration) {
        let statusClass = "\(status / 100)xx"
        let key = route + " " + statusClass
        let counter = requestCounters.withLockedValue { counters in
            if let existing = counters[key] { return existing }
            let made = registry.makeCounter(
                descriptor: .init(
                    namespace: "reclaim", metricName: "http_requests", unitName: "total", helpText: "HTTP requests answered."),
                labels: [("route", route), ("status", statusClass)])
            counters[key] = made
            return made
        }
        counter.increment()
        let histogram = durations.withLockedValue { histograms in
            if let existing = histograms[route] { return existing }
            let made = registry.makeDurationHistogram(
                descriptor: .init(
                    namespace: "reclaim", metricName: "http_request_duration", unitName: "seconds",
                    helpText: "Time to answer HTTP requests."),
                labels: [("route", route)],
                buckets: [.milliseconds(1), .milliseconds(5), .milliseconds(25), .milliseconds(100), .milliseconds(500), .seconds(2)])
            histograms[route] = made
            return made
        }
        histogram.record(duration)
    }
}
