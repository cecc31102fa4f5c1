#include "services/router/rules/template.h"

#include <gtest/gtest.h>

namespace smsflow::router {
namespace {

TEST(ReplyTemplate, RendersWithPrecedence) {
  auto t = ReplyTemplate::Parse("Hi {{first_name}}, we are open {{ store_hours }}. {x} }}");
  ASSERT_TRUE(t.ok()) << t.status();
  EXPECT_EQ(t->variables(), (std::vector<std::string>{"first_name", "store_hours"}));
  VariableMap message{{"first_name", "Ana"}};
  VariableMap rule{{"store_hours", "9-5"}, {"first_name", "there"}};
  VariableMap tenant{{"store_hours", "8-8"}};
  const VariableMap* sources[] = {&message, &rule, &tenant};
  EXPECT_EQ(*t->Render(sources), "Hi Ana, we are open 9-5. {x} }}");
  const VariableMap* fallback[] = {&rule, &tenant};
  EXPECT_EQ(*t->Render(fallback), "Hi there, we are open 9-5. {x} }}");
}

TEST(ReplyTemplate, MissingVariableIsNamedAtRenderTime) {
  auto t = ReplyTemplate::Parse("Balance: {{balance}}");
  ASSERT_TRUE(t.ok());
  VariableMap empty;
  const VariableMap* sources[] = {&empty};
  absl::StatusOr<std::string> r = t->Render(sources);
  EXPECT_EQ(r.status().code(), absl::StatusCode::kNotFound);
  EXPECT_NE(std::string(r.status().message()).find("{{balance}}"), std::string::npos);
}

TEST(ReplyTemplate, RejectsMalformedPlaceholders) {
  for (const char* text : {"Hi {{first name}}", "Hi {{", "Hi {{}}", "Hi {{1x}}", "{{a}"}) {
    EXPECT_EQ(ReplyTemplate::Parse(text).status().code(), absl::StatusCode::kInvalidArgument)
        << text;
  }
  EXPECT_TRUE(ReplyTemplate::Parse("no placeholders { at } all").ok());
}

}  // namespace
}  // namespace smsflow::router
