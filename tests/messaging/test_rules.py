import pytest

from backstretch.messaging.rules import MAX_LENGTH, clean_body


def test_a_message_keeps_its_words_without_the_spaces_around_them():
    assert clean_body("  Fine today, thanks.\n") == "Fine today, thanks."


@pytest.mark.parametrize("text", ["", "   ", "\n\t"])
def test_an_empty_message_is_refused_saying_to_write_something(text):
    with pytest.raises(ValueError, match="empty: write something"):
        clean_body(text)


def test_a_message_at_the_limit_is_kept_and_one_over_is_refused_with_its_length():
    assert len(clean_body("a" * MAX_LENGTH)) == MAX_LENGTH
    with pytest.raises(
        ValueError, match=r"20,000 characters long; one message holds at most 2,000"
    ):
        clean_body("a" * 20_000)
