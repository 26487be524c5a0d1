import random
import re

from kg import lexicon
from kg.wordtrie import compile_words


def _alternation(words: list[str]) -> re.Pattern[str]:
    return re.compile("|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)))


def test_the_longest_word_wins_where_several_start_at_one_place():
    pattern = compile_words(["北京", "北京市", "北京市委", "京"])
    assert [m.group() for m in pattern.finditer("北京市委和北京市以及北京、京")] == ["北京市委", "北京市", "北京", "京"]


def test_no_words_match_nothing():
    assert compile_words([]).search("任何文字") is None
    assert compile_words([""]).search("任何文字") is None


def test_matches_equal_a_longest_first_alternation_of_the_same_words():
    rng = random.Random(7)
    alphabet = "中国北京市委省人大政协会议"
    words = sorted({"".join(rng.choice(alphabet) for _ in range(rng.randint(1, 5))) for _ in range(300)})
    text = "".join(rng.choice(alphabet + "，的") for _ in range(3000))
    trie, plain = compile_words(words), _alternation(words)
    assert [m.span() for m in trie.finditer(text)] == [m.span() for m in plain.finditer(text)]


def test_county_level_divisions_are_places_but_phrases_are_not():
    names = lexicon.load().names
    assert names["皇姑区"].type.value == "Place" and names["桐乡市"].type.value == "Place"
    assert "解放区" not in names and "城区" not in names
