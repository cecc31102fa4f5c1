#!/usr/bin/env python3
"""Generates the intent corpus (fastText format) for the router's intent model.

Every line is `__label__<intent> <text>` with the text as a customer would type
it (case, typos, emoji and punctuation intact); the build normalises both files
with the same C++ code the router uses at prediction time before training.

Split: each intent has TRAIN templates and TEST templates written separately
with different wording, so test.txt measures how the model does on phrasings it
never saw, not on re-sampled training sentences. Slot values (products, days,
times...) are shared: they are vocabulary, not phrasing. Texts that come out
identical in both files are dropped from test.txt.

Deterministic (fixed seed): re-running rewrites the same files.
    python3 generate.py            # writes train.txt and test.txt here
"""
import os
import random
import re

from templates import INTENTS, SLOTS

TRAIN_PER_INTENT = 300
TEST_PER_INTENT = 100
SEED = 20240601

# Texting shorthand applied word by word with some probability.
ABBREV = {
    "you": ["u", "ya"], "your": ["ur", "yr"], "you're": ["ur", "youre"],
    "are": ["r"], "please": ["pls", "plz", "pleas"], "thanks": ["thx", "ty", "thnx"],
    "thank": ["thnk"], "tomorrow": ["tmrw", "tmr", "2moro"], "tonight": ["tonite", "2nite"],
    "what": ["wat", "wht"], "what's": ["whats", "wats"], "appointment": ["appt", "apt"],
    "because": ["bc", "cuz"], "don't": ["dont", "dnt"], "can't": ["cant", "cnt"],
    "i'm": ["im", "Im"], "okay": ["ok", "k"], "to": ["2"], "for": ["4"], "know": ["kno"],
    "message": ["msg"], "messages": ["msgs"], "number": ["#", "num", "no."],
    "saturday": ["sat"], "sunday": ["sun"], "monday": ["mon"], "tuesday": ["tues", "tue"],
    "wednesday": ["wed"], "thursday": ["thurs", "thu"], "friday": ["fri"],
    "minutes": ["mins"], "before": ["b4"], "really": ["rly"], "people": ["ppl"],
    "with": ["w/"], "without": ["w/o"], "probably": ["prob"], "received": ["recieved", "got"],
    "available": ["avail", "availble"], "account": ["acct"], "payment": ["pmt"],
}
EMOJI = ["🙂", "😊", "🙏", "👍", "😡", "😂", "❤️", "😍", "🤔", "😩", "👋", "🤷", "😭", "🔥", "!!"]
KEYBOARD = "qwertyuiop asdfghjkl zxcvbnm"


def expand(template, rng):
    """Picks one branch of every [a|b|c] group (innermost first), then fills {slots}."""
    while True:
        m = re.search(r"\[([^\[\]]*)\]", template)
        if not m:
            break
        template = template[: m.start()] + rng.choice(m.group(1).split("|")) + template[m.end():]
    return re.sub(r"\{(\w+)\}", lambda m: rng.choice(SLOTS[m.group(1)]), template)


def typo(word, rng):
    if len(word) < 4 or not word.isalpha():
        return word
    i = rng.randrange(1, len(word) - 1)
    kind = rng.random()
    if kind < 0.3:  # dropped letter
        return word[:i] + word[i + 1:]
    if kind < 0.55:  # swapped neighbours
        return word[:i] + word[i + 1] + word[i] + word[i + 2:]
    if kind < 0.75:  # doubled letter
        return word[:i] + word[i] + word[i:]
    row = next((r for r in KEYBOARD.split() if word[i].lower() in r), None)
    if not row:
        return word
    j = row.index(word[i].lower())
    near = row[max(0, j - 1)] if rng.random() < 0.5 else row[min(len(row) - 1, j + 1)]
    return word[:i] + near + word[i + 1:]


def texterize(text, rng):
    """Makes a clean sentence look like a real text: shorthand, typos, case, emoji."""
    words = []
    for w in text.split():
        low = w.lower()
        if low in ABBREV and rng.random() < 0.35:
            w = rng.choice(ABBREV[low])
        elif rng.random() < 0.06:
            w = typo(w, rng)
        words.append(w)
    text = " ".join(words)
    if rng.random() < 0.25:
        text = text.replace("'", "")
    r = rng.random()
    if r < 0.55:
        text = text.lower()
    elif r < 0.65:
        text = text.upper()
    elif r < 0.85:
        text = text[:1].upper() + text[1:]
    r = rng.random()
    if r < 0.15:
        text = text.rstrip("?.!") + rng.choice(["??", "!!", "...", "?!", " ?"])
    elif r < 0.3:
        text = text.rstrip("?.!")
    if rng.random() < 0.12:
        text += " " + rng.choice(EMOJI)
    return text


def sample(templates, count, rng, exclude=frozenset()):
    out, seen, attempts = [], set(exclude), 0
    while len(out) < count and attempts < count * 50:
        attempts += 1
        text = texterize(expand(rng.choice(templates), rng), rng).strip()
        key = text.lower()
        if text and key not in seen:
            seen.add(key)
            out.append(text)
    return out


def main():
    rng = random.Random(SEED)
    here = os.path.dirname(os.path.abspath(__file__))
    train, test = [], []
    for intent, spec in INTENTS.items():
        tr = sample(spec["train"], TRAIN_PER_INTENT, rng)
        te = sample(spec["test"], TEST_PER_INTENT, rng, exclude={t.lower() for t in tr})
        train += [f"__label__{intent} {t}" for t in tr]
        test += [f"__label__{intent} {t}" for t in te]
    rng.shuffle(train)
    rng.shuffle(test)
    for name, lines in (("train.txt", train), ("test.txt", test)):
        with open(os.path.join(here, name), "w", encoding="utf-8") as f:
            f.write("\n".join(lines) + "\n")
        print(f"{name}: {len(lines)} lines")


if __name__ == "__main__":
    main()
