#include "services/consent/policy/recipient_zone.h"

#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "lib/sms/phone.h"

namespace smsflow::consent::policy {
namespace {

using ::testing::HasSubstr;

class RecipientZoneTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto t = AreaCodeTable::LoadFile(SMSFLOW_AREA_CODE_TABLE);
    ASSERT_TRUE(t.ok()) << t.status();
    table_ = *std::move(t);
    auto c = CountryZones::Builtin();
    ASSERT_TRUE(c.ok()) << c.status();
    countries_ = *std::move(c);
  }

  static sms::PhoneNumber Phone(const char* e164) {
    auto p = sms::ParsePhone(e164);
    EXPECT_TRUE(p.ok()) << e164 << ": " << p.status();
    return p.ok() ? *p : sms::PhoneNumber{};
  }

  RecipientZone Resolve(const sms::PhoneNumber& p, std::optional<std::string> known = std::nullopt,
                        ResolveOptions options = {}) {
    return ResolveRecipientZone(p, known, table_, countries_, options);
  }

  static std::vector<std::string> Names(const RecipientZone& r) {
    std::vector<std::string> out;
    for (const auto& c : r.candidates) out.push_back(c.zone_name);
    return out;
  }

  AreaCodeTable table_;
  CountryZones countries_;
};

TEST_F(RecipientZoneTest, AreaCodeGivesZoneAndState) {
  RecipientZone r = Resolve(Phone("+12125550123"));
  EXPECT_EQ(r.source, ZoneSource::kAreaCode);
  ASSERT_EQ(r.candidates.size(), 1u);
  EXPECT_EQ(r.candidates[0].zone_name, "America/New_York");
  EXPECT_EQ(r.candidates[0].country, "US");
  EXPECT_EQ(r.candidates[0].state, "NY");

  r = Resolve(Phone("+14055550123"));
  EXPECT_EQ(r.candidates[0].zone_name, "America/Chicago");
  EXPECT_EQ(r.candidates[0].RegionKey(), "US-OK");

  r = Resolve(Phone("+14165550123"));
  EXPECT_EQ(r.candidates[0].zone_name, "America/Toronto");
  EXPECT_EQ(r.candidates[0].RegionKey(), "CA-ON");
}

TEST_F(RecipientZoneTest, SplitAreaCodeChecksEveryZoneUnlessConfiguredOff) {
  RecipientZone r = Resolve(Phone("+18505550123"));
  EXPECT_EQ(r.source, ZoneSource::kAreaCode);
  EXPECT_THAT(Names(r), ::testing::ElementsAre("America/Chicago", "America/New_York"));
  for (const auto& c : r.candidates) EXPECT_EQ(c.RegionKey(), "US-FL");

  r = Resolve(Phone("+18505550123"), std::nullopt, {.check_all_zones_of_split_area_codes = false});
  EXPECT_THAT(Names(r), ::testing::ElementsAre("America/Chicago"));
}

TEST_F(RecipientZoneTest, KnownZoneWinsButStateStillComesFromAreaCode) {
  RecipientZone r = Resolve(Phone("+13055550123"), "America/Los_Angeles");
  EXPECT_EQ(r.source, ZoneSource::kKnown);
  ASSERT_EQ(r.candidates.size(), 1u);
  EXPECT_EQ(r.candidates[0].zone_name, "America/Los_Angeles");
  EXPECT_EQ(r.candidates[0].RegionKey(), "US-FL");
  EXPECT_TRUE(r.note.empty());
}

TEST_F(RecipientZoneTest, InvalidKnownZoneIsIgnoredWithANote) {
  RecipientZone r = Resolve(Phone("+13055550123"), "Mars/Olympus_Mons");
  EXPECT_EQ(r.source, ZoneSource::kAreaCode);
  EXPECT_EQ(r.candidates[0].zone_name, "America/New_York");
  EXPECT_THAT(r.note, HasSubstr("'Mars/Olympus_Mons' is not a valid IANA time zone"));

  r = Resolve(Phone("+13055550123"), "");
  EXPECT_EQ(r.source, ZoneSource::kAreaCode);
}

TEST_F(RecipientZoneTest, CountryDefaultOutsideNanp) {
  RecipientZone r = Resolve(Phone("+442079460958"));
  EXPECT_EQ(r.source, ZoneSource::kCountry);
  EXPECT_THAT(Names(r), ::testing::ElementsAre("Europe/London"));
  EXPECT_EQ(r.candidates[0].RegionKey(), "GB");

  EXPECT_THAT(Names(Resolve(Phone("+4930123456"))), ::testing::ElementsAre("Europe/Berlin"));
  EXPECT_THAT(Names(Resolve(Phone("+525512345678"))),
              ::testing::ElementsAre("America/Mexico_City"));
  EXPECT_THAT(Names(Resolve(Phone("+61293744000"))), ::testing::ElementsAre("Australia/Sydney"));
  EXPECT_THAT(Names(Resolve(Phone("+919876543210"))), ::testing::ElementsAre("Asia/Kolkata"));
}

TEST_F(RecipientZoneTest, UsNumberWithoutGeographicAreaCodeGetsAllContinentalZones) {
  sms::PhoneNumber p = Phone("+18005550123");  // toll-free: no area code
  RecipientZone r = Resolve(p);
  EXPECT_EQ(r.source, ZoneSource::kFallback);
  EXPECT_THAT(Names(r), ::testing::ElementsAre("America/New_York", "America/Chicago",
                                               "America/Denver", "America/Los_Angeles"));

  // A geographic-looking code missing from the table takes the same path.
  sms::PhoneNumber unknown{"+19995550123", "US", 1, "999", sms::NumberType::kFixedLineOrMobile};
  EXPECT_EQ(Resolve(unknown).source, ZoneSource::kFallback);
}

TEST_F(RecipientZoneTest, NothingKnownGivesNoCandidates) {
  sms::PhoneNumber p{"+80012345678", "001", 800, "", sms::NumberType::kTollFree};
  RecipientZone r = Resolve(p);
  EXPECT_EQ(r.source, ZoneSource::kUnknown);
  EXPECT_TRUE(r.candidates.empty());
  EXPECT_THAT(r.note, HasSubstr("no time zone known for region '001'"));

  ASSERT_TRUE(countries_.SetUnknownCountryFallback({{"UTC", ""}}).ok());
  r = Resolve(p);
  EXPECT_EQ(r.source, ZoneSource::kFallback);
  EXPECT_THAT(Names(r), ::testing::ElementsAre("UTC"));
}

TEST_F(RecipientZoneTest, CountryZonesValidateInput) {
  CountryZones cz;
  EXPECT_FALSE(cz.SetDefault("GB", "Europe/Nowhere").ok());
  EXPECT_FALSE(cz.SetDefault("gbr", "Europe/London").ok());
  EXPECT_FALSE(cz.SetFallback("US", {}).ok());
  EXPECT_TRUE(cz.SetDefault("GB", "Europe/London").ok());
  EXPECT_EQ(cz.Default("GB")->zone_name, "Europe/London");
  EXPECT_EQ(cz.Default("FR"), nullptr);
}

}  // namespace
}  // namespace smsflow::consent::policy
