#include "services/consent/policy/area_code_table.h"

#include <set>
#include <string>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace smsflow::consent::policy {
namespace {

using ::testing::HasSubstr;

const AreaCodeTable& Shipped() {
  static const AreaCodeTable* table = [] {
    auto t = AreaCodeTable::LoadFile(SMSFLOW_AREA_CODE_TABLE);
    if (!t.ok()) {
      ADD_FAILURE() << t.status();
      return new AreaCodeTable();
    }
    return new AreaCodeTable(*std::move(t));
  }();
  return *table;
}

struct Expect {
  const char* npa;
  const char* zone;
  const char* country;
  const char* region;
};

TEST(AreaCodeTableTest, ShippedTableLoadsAndCoversUsAndCanada) {
  const AreaCodeTable& t = Shipped();
  EXPECT_GE(t.CountForCountry("US"), 330u);
  EXPECT_GE(t.CountForCountry("CA"), 40u);
}

TEST(AreaCodeTableTest, ShippedTableHasEveryStateAndDc) {
  std::set<std::string> regions;
  for (int npa = 200; npa < 1000; ++npa) {
    if (auto e = Shipped().Lookup(std::to_string(npa)); e && e->country == "US") {
      regions.insert(e->region);
    }
  }
  EXPECT_EQ(regions.size(), 51u);  // 50 states + DC
}

TEST(AreaCodeTableTest, KnownCodes) {
  const Expect cases[] = {
      {"212", "America/New_York", "US", "NY"},    {"405", "America/Chicago", "US", "OK"},
      {"305", "America/New_York", "US", "FL"},    {"850", "America/Chicago", "US", "FL"},
      {"904", "America/New_York", "US", "FL"},    {"602", "America/Phoenix", "US", "AZ"},
      {"808", "Pacific/Honolulu", "US", "HI"},    {"907", "America/Anchorage", "US", "AK"},
      {"915", "America/Denver", "US", "TX"},      {"312", "America/Chicago", "US", "IL"},
      {"303", "America/Denver", "US", "CO"},      {"213", "America/Los_Angeles", "US", "CA"},
      {"416", "America/Toronto", "CA", "ON"},     {"604", "America/Vancouver", "CA", "BC"},
      {"709", "America/St_Johns", "CA", "NL"},    {"306", "America/Regina", "CA", "SK"},
      {"787", "America/Puerto_Rico", "PR", "PR"},
  };
  for (const Expect& c : cases) {
    auto e = Shipped().Lookup(c.npa);
    ASSERT_TRUE(e.has_value()) << c.npa;
    EXPECT_EQ(e->zone_name, c.zone) << c.npa;
    EXPECT_EQ(e->zone.name(), c.zone) << c.npa;
    EXPECT_EQ(e->country, c.country) << c.npa;
    EXPECT_EQ(e->region, c.region) << c.npa;
  }
}

TEST(AreaCodeTableTest, SplitCodesListTheirOtherZones) {
  auto e850 = Shipped().Lookup("850");
  ASSERT_TRUE(e850.has_value());
  EXPECT_THAT(e850->other_zone_names, ::testing::ElementsAre("America/New_York"));
  auto e212 = Shipped().Lookup("212");
  ASSERT_TRUE(e212.has_value());
  EXPECT_TRUE(e212->other_zone_names.empty());
}

TEST(AreaCodeTableTest, UnknownAndMalformedCodesMiss) {
  EXPECT_FALSE(Shipped().Lookup("800").has_value());  // toll-free: not geographic
  EXPECT_FALSE(Shipped().Lookup("").has_value());
  EXPECT_FALSE(Shipped().Lookup("21").has_value());
  EXPECT_FALSE(Shipped().Lookup("2125").has_value());
  EXPECT_FALSE(Shipped().Lookup("21a").has_value());
}

TEST(AreaCodeTableTest, ParsesCommentsBlankLinesAndCrlf) {
  auto t = AreaCodeTable::Parse(
      "# comment\n\n212\tUS\tNY\tAmerica/New_York\r\n850\tUS\tFL\tAmerica/Chicago\t"
      "America/New_York\tsplit\n",
      "mem");
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->size(), 2u);
  EXPECT_EQ(t->Lookup("850")->note, "split");
}

TEST(AreaCodeTableTest, ValidationErrorsNameTheLine) {
  struct Bad {
    const char* text;
    const char* message;
  };
  const Bad cases[] = {
      {"212\tUS\tNY\tAmerica/New_York\n#\n213\tUS\tCA\tMars/Olympus_Mons\n",
       "t.tsv:3: time zone 'Mars/Olympus_Mons' is not known"},
      {"212\tUS\tNY\tAmerica/New_York\n212\tUS\tNY\tAmerica/New_York\n",
       "t.tsv:2: duplicate area code 212 (first on line 1)"},
      {"212 US NY America/New_York\n", "t.tsv:1: expected 4 to 6 tab-separated columns"},
      {"411\tUS\tNY\tAmerica/New_York\n", "t.tsv:1: '411' is not a NANP area code"},
      {"112\tUS\tNY\tAmerica/New_York\n", "t.tsv:1: '112' is not a NANP area code"},
      {"2x2\tUS\tNY\tAmerica/New_York\n", "t.tsv:1: '2x2' is not a NANP area code"},
      {"212\tusa\tNY\tAmerica/New_York\n", "t.tsv:1: country 'usa'"},
      {"212\tUS\tNew York\tAmerica/New_York\n", "t.tsv:1: region 'New York'"},
      {"850\tUS\tFL\tAmerica/Chicago\tAmerica/Nowhere\n",
       "t.tsv:1: other zone 'America/Nowhere' is not known"},
      {"850\tUS\tFL\tAmerica/Chicago\tAmerica/Chicago\n", "repeats time_zone"},
      {"# only comments\n", "t.tsv: no entries"},
  };
  for (const Bad& c : cases) {
    auto t = AreaCodeTable::Parse(c.text, "t.tsv");
    ASSERT_FALSE(t.ok()) << c.text;
    EXPECT_EQ(t.status().code(), absl::StatusCode::kInvalidArgument);
    EXPECT_THAT(std::string(t.status().message()), HasSubstr(c.message));
  }
}

TEST(AreaCodeTableTest, MissingFileIsNotFound) {
  auto t = AreaCodeTable::LoadFile("/nonexistent/area_codes.tsv");
  EXPECT_EQ(t.status().code(), absl::StatusCode::kNotFound);
  EXPECT_THAT(std::string(t.status().message()), HasSubstr("/nonexistent/area_codes.tsv"));
}

}  // namespace
}  // namespace smsflow::consent::policy
