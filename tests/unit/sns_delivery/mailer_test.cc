// Mailer: message format (pure pieces), sending through an in-process fake SMTP relay, the
// outbox of .eml files, and header-injection rejection.
#include "services/sns/delivery/mailer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <boost/asio.hpp>
#include <fstream>
#include <sstream>

#include "fake_smtp_server.h"
#include "fakes/fake_clock.h"
#include "fakes/temp_dir.h"
#include "test_cert.h"

namespace overcast::sns {
namespace {

using namespace std::chrono_literals;
using testing::FakeSmtpServer;
using testing::FakeSmtpServerOptions;
using testing::SmtpTls;

// 2024-01-01T00:00:00Z, a Monday.
const TimePoint kStart{std::chrono::seconds(1704067200)};

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  for (std::size_t pos; (pos = text.find("\r\n", start)) != std::string::npos; start = pos + 2) {
    out.push_back(text.substr(start, pos - start));
  }
  if (start < text.size()) out.push_back(text.substr(start));
  return out;
}

// The header block and the body of a CRLF message.
std::pair<std::string, std::string> split(const std::string& message) {
  const auto end = message.find("\r\n\r\n");
  if (end == std::string::npos) return {message, ""};
  return {message.substr(0, end + 2), message.substr(end + 4)};
}

void expectWellFormed(const std::string& message) {
  for (std::size_t i = 0; i < message.size(); ++i) {
    if (message[i] == '\n') {
      ASSERT_TRUE(i > 0 && message[i - 1] == '\r') << "bare LF at " << i;
    }
    if (message[i] == '\r') {
      ASSERT_TRUE(i + 1 < message.size() && message[i + 1] == '\n') << "bare CR at " << i;
    }
  }
  for (const std::string& line : lines(message)) EXPECT_LE(line.size(), 998u);
}

class MailerTest : public ::testing::Test {
 protected:
  MailerOptions relayOptions(const std::string& url) {
    MailerOptions options;
    options.smtpUrl = url;
    options.timeout = 5s;
    return options;
  }
  MailerOptions outboxOptions() {
    MailerOptions options;
    options.outboxDir = dir_ / "outbox";
    return options;
  }

  overcast::testing::TempDir dir_;
  overcast::testing::FakeClock clock_{kStart};
  std::unique_ptr<IdGenerator> ids_ = makeSequentialIdGenerator();
};

TEST(MailFormatTest, AsciiSubjectIsUnchanged) {
  EXPECT_EQ(mail_format::encodeSubject("AWS Notification Message"), "AWS Notification Message");
}

TEST(MailFormatTest, NonAsciiSubjectBecomesEncodedWordsThatDecodeBack) {
  const std::string subject = "Caf\xC3\xA9 \xE2\x82\xAC";  // "Café €"
  const std::string encoded = mail_format::encodeSubject(subject);
  EXPECT_EQ(encoded, "=?UTF-8?B?Q2Fmw6kg4oKs?=");
  EXPECT_EQ(mail_format::decodeEncodedWords(encoded), subject);
}

TEST(MailFormatTest, LongSubjectIsSplitOnCharacterBoundaries) {
  std::string subject;
  for (int i = 0; i < 40; ++i) subject += "\xC3\xA9\xE2\x82\xAC ";  // 2- and 3-byte characters
  const std::string encoded = mail_format::encodeSubject(subject);
  std::string unfolded;
  for (const std::string& word : lines(encoded)) {
    const std::string trimmed = word.substr(word.find_first_not_of(' '));
    EXPECT_LE(trimmed.size(), 75u);
    EXPECT_EQ(trimmed.rfind("=?UTF-8?B?", 0), 0u);
    unfolded += word;
  }
  EXPECT_GT(lines(encoded).size(), 1u);
  EXPECT_EQ(mail_format::decodeEncodedWords(unfolded), subject);
}

TEST(MailFormatTest, DecodesQEncodingAndKeepsPlainText) {
  EXPECT_EQ(mail_format::decodeEncodedWords("=?utf-8?Q?Caf=C3=A9_au_lait?= now"),
            "Caf\xC3\xA9 au lait now");
  EXPECT_EQ(mail_format::decodeEncodedWords("plain text"), "plain text");
  EXPECT_EQ(mail_format::decodeEncodedWords("=?UTF-8?B?YQ==?= =?UTF-8?B?Yg==?="), "ab");
}

TEST(MailFormatTest, QuotedPrintable) {
  EXPECT_EQ(mail_format::encodeQuotedPrintable("a=b \nend\t\n"), "a=3Db=20\r\nend=09\r\n");
  EXPECT_EQ(mail_format::encodeQuotedPrintable("caf\xC3\xA9"), "caf=C3=A9\r\n");
  const std::string encoded =
      mail_format::encodeQuotedPrintable(std::string(200, 'x') + "\xC3\xA9");
  for (const std::string& line : lines(encoded)) EXPECT_LE(line.size(), 76u);
  std::string joined;
  for (const std::string& line : lines(encoded)) {
    joined += line.ends_with('=') ? line.substr(0, line.size() - 1) : line;
  }
  EXPECT_EQ(joined, std::string(200, 'x') + "=C3=A9");
}

TEST(MailFormatTest, DatesRoundTrip) {
  EXPECT_EQ(mail_format::formatDate(kStart), "Mon, 01 Jan 2024 00:00:00 +0000");
  const TimePoint t = kStart + 24h * 60 + 13h + 7min + 9s;
  TimePoint parsed;
  ASSERT_TRUE(mail_format::parseDate(mail_format::formatDate(t), parsed));
  EXPECT_EQ(parsed, t);
  ASSERT_TRUE(mail_format::parseDate("1 Jan 2024 02:00 +0200", parsed));
  EXPECT_EQ(parsed, kStart);
  EXPECT_FALSE(mail_format::parseDate("yesterday", parsed));
  EXPECT_FALSE(mail_format::parseDate("Mon, 31 Feb 2024 00:00:00 +0000", parsed));
}

TEST_F(MailerTest, FromCarriesTheDisplayNameQuotedOrEncoded) {
  Mailer mailer(outboxOptions(), clock_, *ids_);
  Mail mail{"alice@example.com", "Hi", "body\n", {}};
  mail.fromName = "Ops \"Backups\"";
  auto ascii = mailer.buildMessage(mail);
  ASSERT_TRUE(ascii) << ascii.error().message();
  EXPECT_NE(ascii->find("From: \"Ops \\\"Backups\\\"\" <"), std::string::npos) << *ascii;
  mail.fromName = "Sauvegardes \xc3\xa9t\xc3\xa9";  // "Sauvegardes été"
  auto utf8 = mailer.buildMessage(mail);
  ASSERT_TRUE(utf8);
  EXPECT_NE(utf8->find("From: =?UTF-8?"), std::string::npos) << *utf8;
  mail.fromName = "two\nlines";
  EXPECT_FALSE(mailer.buildMessage(mail));
}

TEST_F(MailerTest, BuildsAProperMessage) {
  Mailer mailer(outboxOptions(), clock_, *ids_);
  auto message = mailer.buildMessage(
      {"alice@example.com", "Hello", "line one\nline two\n", {{"X-Overcast-Topic", "t1"}}});
  ASSERT_TRUE(message) << message.error().message();
  expectWellFormed(*message);
  const auto [head, body] = split(*message);
  EXPECT_NE(head.find("Date: Mon, 01 Jan 2024 00:00:00 +0000\r\n"), std::string::npos);
  EXPECT_NE(head.find("From: no-reply@sns.overcast.local\r\n"), std::string::npos);
  EXPECT_NE(head.find("To: alice@example.com\r\n"), std::string::npos);
  EXPECT_NE(head.find("Subject: Hello\r\n"), std::string::npos);
  EXPECT_NE(head.find("Message-ID: <"), std::string::npos);
  EXPECT_NE(head.find("@sns.overcast.local>\r\n"), std::string::npos);
  EXPECT_NE(head.find("MIME-Version: 1.0\r\n"), std::string::npos);
  EXPECT_NE(head.find("Content-Type: text/plain; charset=UTF-8\r\n"), std::string::npos);
  EXPECT_NE(head.find("Content-Transfer-Encoding: 7bit\r\n"), std::string::npos);
  EXPECT_NE(head.find("X-Overcast-Topic: t1\r\n"), std::string::npos);
  EXPECT_EQ(body, "line one\r\nline two\r\n");
}

TEST_F(MailerTest, NonAsciiOrLongLinesUseQuotedPrintable) {
  Mailer mailer(outboxOptions(), clock_, *ids_);
  auto message = mailer.buildMessage(
      {"alice@example.com", "Caf\xC3\xA9", "caf\xC3\xA9\n" + std::string(1500, 'y') + "\n", {}});
  ASSERT_TRUE(message);
  expectWellFormed(*message);
  const auto [head, body] = split(*message);
  EXPECT_NE(head.find("Subject: =?UTF-8?B?Q2Fmw6k=?=\r\n"), std::string::npos);
  EXPECT_NE(head.find("Content-Transfer-Encoding: quoted-printable\r\n"), std::string::npos);
  EXPECT_EQ(body.rfind("caf=C3=A9\r\n", 0), 0u);
  for (const std::string& line : lines(body)) EXPECT_LE(line.size(), 76u);
}

TEST_F(MailerTest, SendsThroughRelay) {
  FakeSmtpServer relay;
  Mailer mailer(relayOptions(relay.url()), clock_, *ids_);
  // A body line starting with "." exercises libcurl's dot-stuffing (undone by the relay).
  auto sent = mailer.send({"bob@example.com", "Notice", "hello\n.hidden dot\nbye", {}});
  ASSERT_TRUE(sent) << sent.error().message();
  const auto messages = relay.messages();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].mailFrom, "no-reply@sns.overcast.local");
  EXPECT_EQ(messages[0].rcptTo, std::vector<std::string>{"bob@example.com"});
  EXPECT_EQ(messages[0].authPlain, "");
  auto expected = mailer.buildMessage({"bob@example.com", "Notice", "hello\n.hidden dot\nbye", {}});
  ASSERT_TRUE(expected);
  // Same clock and next sequential id: only the Message-ID differs.
  const auto [head, body] = split(messages[0].data);
  EXPECT_NE(head.find("To: bob@example.com\r\n"), std::string::npos);
  EXPECT_NE(head.find("Subject: Notice\r\n"), std::string::npos);
  EXPECT_NE(head.find("Date: Mon, 01 Jan 2024 00:00:00 +0000\r\n"), std::string::npos);
  EXPECT_EQ(body, split(*expected).second);
  EXPECT_EQ(body, "hello\r\n.hidden dot\r\nbye\r\n");
}

TEST_F(MailerTest, AuthenticatesWhenGivenCredentials) {
  FakeSmtpServerOptions smtp;
  smtp.advertiseAuth = true;
  FakeSmtpServer relay(smtp);
  MailerOptions options = relayOptions(relay.url());
  options.username = "smtp-user";
  options.password = "s3cret";
  options.from = "SNS <sns@example.org>";
  Mailer mailer(options, clock_, *ids_);
  auto sent = mailer.send({"bob@example.com", "s", "b", {}});
  ASSERT_TRUE(sent) << sent.error().message();
  const auto messages = relay.messages();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_EQ(messages[0].authPlain, std::string("\0smtp-user\0s3cret", 17));
  EXPECT_EQ(messages[0].mailFrom, "sns@example.org");
  EXPECT_NE(messages[0].data.find("From: SNS <sns@example.org>\r\n"), std::string::npos);
  EXPECT_NE(messages[0].data.find("Message-ID: <"), std::string::npos);
  EXPECT_NE(messages[0].data.find("@example.org>\r\n"), std::string::npos);
}

TEST_F(MailerTest, RelayRefusingRecipientFails) {
  FakeSmtpServerOptions smtp;
  smtp.refuseRcpt = true;
  FakeSmtpServer relay(smtp);
  Mailer mailer(relayOptions(relay.url()), clock_, *ids_);
  auto sent = mailer.send({"nobody@example.com", "s", "b", {}});
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().code(), ErrorCode::InternalFailure);
  EXPECT_NE(sent.error().message().find("550"), std::string::npos) << sent.error().message();
  EXPECT_TRUE(relay.messages().empty());
}

TEST_F(MailerTest, RequiredStartTlsThatIsNotOfferedFails) {
  FakeSmtpServer relay;
  MailerOptions options = relayOptions(relay.url());
  options.startTls = true;
  Mailer mailer(options, clock_, *ids_);
  auto sent = mailer.send({"bob@example.com", "s", "b", {}});
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().code(), ErrorCode::InternalFailure);
  EXPECT_TRUE(relay.messages().empty());
  for (const std::string& command : relay.commands()) {
    EXPECT_NE(command.rfind("MAIL", 0), 0u) << "sent in the clear: " << command;
  }
}

class MailerTlsTest : public MailerTest {
 protected:
  FakeSmtpServerOptions tlsRelay(SmtpTls mode) {
    FakeSmtpServerOptions options;
    options.tls = mode;
    options.certPem = cert_.certPem;
    options.keyPem = cert_.keyPem;
    return options;
  }
  std::string caFile() {
    const auto path = dir_ / "relay-ca.pem";
    std::ofstream(path) << cert_.certPem;
    return path.string();
  }

  testing::TestCert cert_ = testing::makeSelfSignedCert({"DNS:localhost", "IP:127.0.0.1"});
};

TEST_F(MailerTlsTest, StartTlsWithTrustedRelay) {
  FakeSmtpServer relay(tlsRelay(SmtpTls::StartTls));
  MailerOptions options = relayOptions(relay.url());
  options.startTls = true;
  options.caBundle = caFile();
  Mailer mailer(options, clock_, *ids_);
  auto sent = mailer.send({"bob@example.com", "secret", "over TLS", {}});
  ASSERT_TRUE(sent) << sent.error().message();
  const auto messages = relay.messages();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_TRUE(messages[0].overTls);
  EXPECT_EQ(messages[0].rcptTo, std::vector<std::string>{"bob@example.com"});
  EXPECT_EQ(split(messages[0].data).second, "over TLS\r\n");
  const auto commands = relay.commands();
  EXPECT_NE(std::find(commands.begin(), commands.end(), "STARTTLS"), commands.end());
}

TEST_F(MailerTlsTest, StartTlsWithUntrustedRelayFailsWithoutFallback) {
  FakeSmtpServer relay(tlsRelay(SmtpTls::StartTls));
  MailerOptions options = relayOptions(relay.url());
  options.startTls = true;
  Mailer mailer(options, clock_, *ids_);
  auto sent = mailer.send({"bob@example.com", "s", "b", {}});
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().code(), ErrorCode::InternalFailure);
  EXPECT_NE(sent.error().message().find("certificate"), std::string::npos)
      << sent.error().message();
  EXPECT_TRUE(relay.messages().empty());
}

TEST_F(MailerTlsTest, ImplicitTls) {
  FakeSmtpServer relay(tlsRelay(SmtpTls::Implicit));
  MailerOptions options = relayOptions(relay.url());
  options.caBundle = caFile();
  Mailer mailer(options, clock_, *ids_);
  auto sent = mailer.send({"bob@example.com", "s", "b", {}});
  ASSERT_TRUE(sent) << sent.error().message();
  const auto messages = relay.messages();
  ASSERT_EQ(messages.size(), 1u);
  EXPECT_TRUE(messages[0].overTls);
}

TEST_F(MailerTest, UnreachableRelayFails) {
  boost::asio::io_context ioc;
  boost::asio::ip::tcp::acceptor bound(ioc);  // bound, not listening: refused
  bound.open(boost::asio::ip::tcp::v4());
  bound.bind({boost::asio::ip::address_v4::loopback(), 0});
  Mailer mailer(relayOptions("smtp://127.0.0.1:" + std::to_string(bound.local_endpoint().port())),
                clock_, *ids_);
  auto sent = mailer.send({"bob@example.com", "s", "b", {}});
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().code(), ErrorCode::InternalFailure);
}

TEST_F(MailerTest, OutboxWritesParseableEml) {
  Mailer mailer(outboxOptions(), clock_, *ids_);
  const std::string subject = "Caf\xC3\xA9 ready";
  ASSERT_TRUE(mailer.send({"carol@example.com", subject, "body text\n", {}}));
  clock_.advance(1500ms);
  ASSERT_TRUE(mailer.send({"dave@example.com", "Second", "more\n", {}}));

  auto listed = Mailer::listOutbox(dir_ / "outbox");
  ASSERT_TRUE(listed) << listed.error().message();
  ASSERT_EQ(listed->size(), 2u);
  const MailFile& first = (*listed)[0];
  EXPECT_TRUE(first.fileName.starts_with("20240101T000000.000Z-")) << first.fileName;
  EXPECT_TRUE(first.fileName.ends_with(".eml"));
  EXPECT_EQ(first.to, "carol@example.com");
  EXPECT_EQ(first.subject, subject);
  EXPECT_EQ(first.time, kStart);
  EXPECT_TRUE((*listed)[1].fileName.starts_with("20240101T000001.500Z-")) << (*listed)[1].fileName;
  EXPECT_EQ((*listed)[1].to, "dave@example.com");
  EXPECT_EQ((*listed)[1].time, kStart + 1s);  // Date has whole seconds

  std::ifstream in(dir_ / "outbox" / first.fileName, std::ios::binary);
  std::stringstream content;
  content << in.rdbuf();
  expectWellFormed(content.str());
  EXPECT_EQ(split(content.str()).second, "body text\r\n");
  std::size_t entries = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir_ / "outbox")) {
    EXPECT_FALSE(entry.path().filename().string().starts_with(".")) << "temp file left behind";
    ++entries;
  }
  EXPECT_EQ(entries, 2u);
}

TEST_F(MailerTest, ListOutboxOfMissingDirectoryIsEmpty) {
  auto listed = Mailer::listOutbox(dir_ / "nowhere");
  ASSERT_TRUE(listed);
  EXPECT_TRUE(listed->empty());
}

TEST_F(MailerTest, HeaderInjectionIsRejected) {
  FakeSmtpServer relay;
  Mailer mailer(relayOptions(relay.url()), clock_, *ids_);
  const std::vector<Mail> bad = {
      {"bob@example.com", "hi\r\nBcc: eve@example.com", "b", {}},
      {"bob@example.com", "hi\nBcc: eve@example.com", "b", {}},
      {"bob@example.com", "hi\rthere", "b", {}},
      {"bob@example.com\r\nBcc: eve@example.com", "s", "b", {}},
      {"bob@example.com>\r\nRCPT TO:<eve@example.com", "s", "b", {}},
      {"bob@example.com, eve@example.com", "s", "b", {}},
      {"not-an-address", "s", "b", {}},
      {"", "s", "b", {}},
      {"bob@example.com", "s", "b", {{"X-A", "v\r\nBcc: eve@example.com"}}},
      {"bob@example.com", "s", "b", {{"Bcc: eve@example.com\r\nX-A", "v"}}},
      {"bob@example.com", "s", "b", {{"from", "eve@example.com"}}},
  };
  for (const Mail& mail : bad) {
    auto sent = mailer.send(mail);
    ASSERT_FALSE(sent) << mail.to << " / " << mail.subject;
    EXPECT_EQ(sent.error().code(), ErrorCode::InvalidParameterValue) << sent.error().message();
  }
  EXPECT_TRUE(relay.commands().empty());  // nothing reached the relay
}

TEST_F(MailerTest, InvalidFromIsAConfigurationError) {
  MailerOptions options = outboxOptions();
  options.from = "sns@example.org\r\nBcc: eve@example.com";
  Mailer mailer(options, clock_, *ids_);
  auto sent = mailer.send({"bob@example.com", "s", "b", {}});
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().code(), ErrorCode::InternalFailure);
}

TEST_F(MailerTest, NoRelayAndNoOutboxFails) {
  Mailer mailer(MailerOptions{}, clock_, *ids_);
  auto sent = mailer.send({"bob@example.com", "s", "b", {}});
  ASSERT_FALSE(sent);
  EXPECT_EQ(sent.error().code(), ErrorCode::InternalFailure);
}

}  // namespace
}  // namespace overcast::sns
