#include "services/sender/api/template.h"

#include <gtest/gtest.h>

#include <map>

namespace smsflow::sender {
namespace {

absl::StatusOr<std::string> Render(const std::string& text,
                                   const std::map<std::string, std::string>& vars) {
  auto t = Template::Parse(text);
  if (!t.ok()) return t.status();
  return t->Render([&](const std::string& name) -> const std::string* {
    auto it = vars.find(name);
    return it == vars.end() ? nullptr : &it->second;
  });
}

TEST(TemplateTest, RendersPlaceholdersWithAndWithoutSpaces) {
  EXPECT_EQ(
      *Render("Hi {{name}}, order {{ order.id }} shipped", {{"name", "Ann"}, {"order.id", "42"}}),
      "Hi Ann, order 42 shipped");
  EXPECT_EQ(*Render("{{a}}{{a}}{{b}}", {{"a", "x"}, {"b", "y"}}), "xxy");
  EXPECT_EQ(*Render("no placeholders", {}), "no placeholders");
  EXPECT_EQ(*Render("", {}), "");
}

TEST(TemplateTest, ValuesAreNotReinterpreted) {
  EXPECT_EQ(*Render("{{a}}", {{"a", "{{b}}"}, {"b", "no"}}), "{{b}}");
}

TEST(TemplateTest, MissingVariableIsNamed) {
  auto r = Render("Hi {{first_name}}, code {{code}}", {{"code", "1"}});
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), absl::StatusCode::kNotFound);
  EXPECT_EQ(r.status().message(), "first_name");
}

TEST(TemplateTest, ListsDistinctVariablesInOrder) {
  auto t = Template::Parse("{{b}} {{a}} {{b}}");
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->variables(), (std::vector<std::string>{"b", "a"}));
}

TEST(TemplateTest, RejectsMalformedPlaceholders) {
  auto unterminated = Template::Parse("Hi {{name");
  ASSERT_FALSE(unterminated.ok());
  EXPECT_EQ(unterminated.status().message(), "unterminated placeholder at byte 3");
  EXPECT_FALSE(Template::Parse("Hi {{}}").ok());
  EXPECT_FALSE(Template::Parse("Hi {{first name}}").ok());
}

TEST(TemplateCatalogTest, LoadsTemplatesPerTenant) {
  auto c = TemplateCatalog::FromYaml(R"(
templates:
  - {tenant: acme, id: shipped, text: "Order {{order}} shipped"}
  - {tenant: globex, id: shipped, text: "Globex {{order}}"}
)");
  ASSERT_TRUE(c.ok()) << c.status();
  ASSERT_NE((*c)->Find("acme", "shipped"), nullptr);
  EXPECT_EQ((*c)->Find("acme", "shipped")->variables(), (std::vector<std::string>{"order"}));
  EXPECT_EQ((*c)->Find("acme", "other"), nullptr);
  EXPECT_EQ((*c)->Find("initech", "shipped"), nullptr);
}

TEST(TemplateCatalogTest, ErrorsNameThePath) {
  auto bad = TemplateCatalog::FromYaml("templates:\n  - {tenant: a, id: x, text: 'Hi {{'}\n");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "templates[0].text: unterminated placeholder at byte 3");
  auto unknown = TemplateCatalog::FromYaml("templates:\n  - {tenant: a, id: x, txt: y}\n");
  ASSERT_FALSE(unknown.ok());
  EXPECT_EQ(unknown.status().message(), "templates[0].txt: unknown key");
  auto dup = TemplateCatalog::FromYaml(
      "templates:\n  - {tenant: a, id: x, text: y}\n  - {tenant: a, id: x, text: z}\n");
  ASSERT_FALSE(dup.ok());
  EXPECT_NE(dup.status().message().find("templates[1]: duplicate"), absl::string_view::npos);
  auto missing = TemplateCatalog::FromYaml("templates:\n  - {tenant: a, text: y}\n");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().message(), "templates[0].id: required");
}

}  // namespace
}  // namespace smsflow::sender
