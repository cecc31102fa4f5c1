// Pins the COMPLIANCE.md "Keywords" rules: every default word in its
// variants, two-word forms, provider extras, tenant extras and removals.
#include "lib/keywords/keyword_classifier.h"

#include <random>
#include <string>
#include <thread>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace smsflow::keywords {
namespace {

using ::testing::HasSubstr;

KeywordClassifier Make(const KeywordConfig& config = {}) {
  absl::StatusOr<KeywordClassifier> classifier = KeywordClassifier::Create(config);
  EXPECT_TRUE(classifier.ok()) << classifier.status();
  return *std::move(classifier);
}

// The variants COMPLIANCE.md says must not matter: case, surrounding
// whitespace, trailing punctuation; plus emoji decoration (our decision).
std::vector<std::string> Variants(const std::string& word) {
  std::string lower, title;
  for (char c : word) lower.push_back(static_cast<char>(std::tolower(c)));
  title = lower;
  title[0] = static_cast<char>(std::toupper(title[0]));
  return {word,
          lower,
          title,
          " " + lower + " ",
          "\t" + word + "\n",
          word + ".",
          title + ".",
          word + "!!",
          lower + "?",
          word + "...",
          word + "!!!",
          "\"" + word + "\"",
          lower + " 🛑",
          "🛑" + word + "🛑",
          "  " + title + "!  "};
}

void ExpectKeyword(const KeywordClassifier& classifier, const std::string& text,
                   KeywordFamily family, const std::string& canonical) {
  const Classification c = classifier.Classify(text);
  EXPECT_EQ(c.family, family) << "'" << text << "': " << c.evidence;
  EXPECT_EQ(c.method, Method::kExactKeyword) << "'" << text << "'";
  EXPECT_EQ(c.matched, canonical) << "'" << text << "'";
  EXPECT_EQ(c.score, 1.0);
  EXPECT_EQ(c.evidence, "keyword " + canonical);
}

TEST(KeywordClassifierTest, EveryDefaultOptOutWordInEveryVariant) {
  const KeywordClassifier classifier = Make();
  for (const std::string word :
       {"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"}) {
    for (const std::string& text : Variants(word)) {
      ExpectKeyword(classifier, text, KeywordFamily::kOptOut, word);
    }
  }
}

TEST(KeywordClassifierTest, TwoWordFormsWithAnySeparator) {
  const KeywordClassifier classifier = Make();
  for (const std::string text : {"OPT OUT", "opt out", "Opt out", "OPT  OUT", "opt-out", "OPT-OUT",
                                 "Opt-Out.", " opt out! ", "opt_out"}) {
    ExpectKeyword(classifier, text, KeywordFamily::kOptOut, "OPT OUT");
  }
  for (const std::string text : {"STOP ALL", "stop all", "Stop All.", "stop-all", "STOP  ALL!!"}) {
    ExpectKeyword(classifier, text, KeywordFamily::kOptOut, "STOP ALL");
  }
}

TEST(KeywordClassifierTest, OtherProvidersExtraWords) {
  const KeywordClassifier classifier = Make();
  for (const std::string word : {"ARRET", "REMOVE", "TD"}) {
    for (const std::string& text : Variants(word)) {
      ExpectKeyword(classifier, text, KeywordFamily::kOptOut, word);
    }
  }
  // Accents are stripped for matching: ARRÊT is how French speakers type it.
  for (const std::string text : {"ARRÊT", "arrêt", "Arrêt.", "arret"}) {
    ExpectKeyword(classifier, text, KeywordFamily::kOptOut, "ARRET");
  }
}

TEST(KeywordClassifierTest, OptInAndHelpWords) {
  const KeywordClassifier classifier = Make();
  for (const std::string word : {"START", "YES", "UNSTOP"}) {
    for (const std::string& text : Variants(word)) {
      ExpectKeyword(classifier, text, KeywordFamily::kOptIn, word);
    }
  }
  for (const std::string word : {"HELP", "INFO"}) {
    for (const std::string& text : Variants(word)) {
      ExpectKeyword(classifier, text, KeywordFamily::kHelp, word);
    }
  }
}

TEST(KeywordClassifierTest, KeywordInsideASentenceIsNotAKeyword) {
  const KeywordClassifier classifier = Make();
  for (const std::string text :
       {"help me find my order", "Yes please", "info on your hours please", "start time?",
        "Stop by the store tomorrow", "I want to cancel my order",
        "end of the month billing question", "quit my job lol", "remove the onions",
        "yes stop by anytime", "Stop. All"}) {
    const Classification c = classifier.Classify(text);
    EXPECT_NE(c.method, Method::kExactKeyword) << text;
    if (c.family != KeywordFamily::kNone) {
      // Only "Stop. All" may still be an opt-out, and only as a phrase.
      EXPECT_EQ(text, "Stop. All") << c.evidence;
    }
  }
}

TEST(KeywordClassifierTest, TenantExtraWordsInOtherLanguages) {
  KeywordConfig config;
  config.extra_opt_out = {"ALTO", "parar", "Cancelar"};
  config.extra_help = {"AYUDA"};
  config.extra_opt_in = {"Comenzar"};
  const KeywordClassifier classifier = Make(config);
  for (const std::string word : {"ALTO", "PARAR", "CANCELAR"}) {
    for (const std::string& text : Variants(word)) {
      ExpectKeyword(classifier, text, KeywordFamily::kOptOut, word);
    }
  }
  ExpectKeyword(classifier, "¡Alto!", KeywordFamily::kOptOut, "ALTO");
  ExpectKeyword(classifier, "ayuda", KeywordFamily::kHelp, "AYUDA");
  ExpectKeyword(classifier, "¿Ayuda?", KeywordFamily::kHelp, "AYUDA");
  ExpectKeyword(classifier, "comenzar", KeywordFamily::kOptIn, "COMENZAR");
  // Defaults are still there.
  ExpectKeyword(classifier, "stop", KeywordFamily::kOptOut, "STOP");
  // Without the extras these are ordinary words.
  EXPECT_EQ(Make().Classify("alto").family, KeywordFamily::kNone);
  EXPECT_EQ(Make().Classify("ayuda").family, KeywordFamily::kNone);
}

TEST(KeywordClassifierTest, RemovingADefaultWordWorks) {
  KeywordConfig config;
  config.removed = {"end", "Info", "opt-out"};
  const KeywordClassifier classifier = Make(config);
  EXPECT_EQ(classifier.Classify("end").family, KeywordFamily::kNone);
  EXPECT_EQ(classifier.Classify("END").family, KeywordFamily::kNone);
  EXPECT_EQ(classifier.Classify("info").family, KeywordFamily::kNone);
  EXPECT_EQ(classifier.Classify("OPT OUT").method, Method::kPhrase);  // still revokes, by law
  ExpectKeyword(classifier, "stop", KeywordFamily::kOptOut, "STOP");
  ExpectKeyword(classifier, "OPTOUT", KeywordFamily::kOptOut, "OPTOUT");
  ExpectKeyword(classifier, "help", KeywordFamily::kHelp, "HELP");
}

TEST(KeywordClassifierTest, StopStartAndHelpCannotBeRemoved) {
  for (const auto& [raw, name] : std::vector<std::pair<std::string, std::string>>{
           {"STOP", "STOP"}, {" stop ", "STOP"}, {"Start", "START"}, {"help!", "HELP"}}) {
    KeywordConfig config;
    config.removed = {"END", raw};
    const absl::StatusOr<KeywordClassifier> classifier = KeywordClassifier::Create(config);
    ASSERT_FALSE(classifier.ok()) << raw;
    EXPECT_EQ(classifier.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(classifier.status().message()),
                HasSubstr("removed: " + name + " cannot be removed"));
  }
}

TEST(KeywordClassifierTest, InvalidConfigNamesTheFieldAndWord) {
  const auto message = [](const KeywordConfig& config) {
    const absl::StatusOr<KeywordClassifier> c = KeywordClassifier::Create(config);
    EXPECT_EQ(c.status().code(), absl::StatusCode::kInvalidArgument);
    return std::string(c.status().message());
  };
  KeywordConfig unknown_removal;
  unknown_removal.removed = {"HALT"};
  EXPECT_THAT(message(unknown_removal), HasSubstr("removed: 'HALT' is not a default keyword"));
  KeywordConfig conflict;
  conflict.extra_opt_out = {"yes"};
  EXPECT_THAT(message(conflict), HasSubstr("extra_opt_out: YES is already an opt_in keyword"));
  KeywordConfig empty;
  empty.extra_help = {"AYUDA", " ?! "};
  EXPECT_THAT(message(empty), HasSubstr("extra_help[1]"));
  // Moving a default to another family is explicit: remove, then add.
  KeywordConfig moved;
  moved.removed = {"YES"};
  moved.extra_opt_out = {"YES"};
  ExpectKeyword(Make(moved), "yes", KeywordFamily::kOptOut, "YES");
}

TEST(KeywordClassifierTest, EmptyAndWhitespaceOnlyAreNone) {
  const KeywordClassifier classifier = Make();
  for (const std::string text : {"", " ", "\t\n\r ", "...", "🛑", "👍🏻"}) {
    const Classification c = classifier.Classify(text);
    EXPECT_EQ(c.family, KeywordFamily::kNone) << text;
    EXPECT_EQ(c.method, Method::kNone) << text;
    EXPECT_EQ(c.score, 0) << text;
  }
}

TEST(KeywordClassifierTest, VeryLongTextIsBoundedAndStillReadsItsStart) {
  const KeywordClassifier classifier = Make();
  std::string filler;
  for (int i = 0; i < 100000; ++i) filler += "lorem ipsum ";
  EXPECT_EQ(classifier.Classify(filler).family, KeywordFamily::kNone);
  EXPECT_EQ(classifier.Classify("please stop texting me. " + filler).family,
            KeywordFamily::kOptOut);
  EXPECT_EQ(classifier.Classify(std::string(200000, ' ') + "STOP").family,
            KeywordFamily::kNone);  // beyond the analysed prefix: documented limit
  EXPECT_EQ(classifier.Classify(std::string(1000, ' ') + "STOP").family, KeywordFamily::kOptOut);
}

TEST(KeywordClassifierTest, InvalidUtf8NeverCrashes) {
  const KeywordClassifier classifier = Make();
  ExpectKeyword(classifier, "\xff\xfeSTOP\xc3", KeywordFamily::kOptOut, "STOP");
  std::mt19937 rng(42);
  for (int i = 0; i < 20000; ++i) {
    std::string text(rng() % 64, '\0');
    for (char& c : text) c = static_cast<char>(rng());
    if (i % 3 == 0) text += " stop texting me";
    const Classification c = classifier.Classify(text);
    EXPECT_GE(c.score, 0);
  }
}

TEST(KeywordClassifierTest, PlainLanguageCanBeSwitchedOff) {
  KeywordConfig config;
  config.plain_language_opt_out = false;
  const KeywordClassifier classifier = Make(config);
  EXPECT_EQ(classifier.Classify("please stop texting me").family, KeywordFamily::kNone);
  ExpectKeyword(classifier, "Stop!", KeywordFamily::kOptOut, "STOP");
  EXPECT_EQ(Make().Classify("please stop texting me").family, KeywordFamily::kOptOut);
}

TEST(KeywordClassifierTest, SharedAcrossThreads) {
  const KeywordClassifier classifier = Make();
  const KeywordClassifier copy = classifier;  // cheap: shares compiled state
  std::vector<std::thread> threads;
  std::vector<int> opt_outs(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 2000; ++i) {
        const auto& c = (t % 2 ? copy : classifier);
        opt_outs[t] += c.Classify(i % 2 ? "stop texting me" : "don't stop the reminders").family ==
                       KeywordFamily::kOptOut;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  for (int n : opt_outs) EXPECT_EQ(n, 1000);
}

TEST(KeywordClassifierTest, NamesForLogsAndLedger) {
  EXPECT_EQ(FamilyName(KeywordFamily::kOptOut), "opt_out");
  EXPECT_EQ(FamilyName(KeywordFamily::kHelp), "help");
  EXPECT_EQ(MethodName(Method::kPhrase), "phrase");
  EXPECT_EQ(MethodName(Method::kExactKeyword), "exact_keyword");
}

}  // namespace
}  // namespace smsflow::keywords
