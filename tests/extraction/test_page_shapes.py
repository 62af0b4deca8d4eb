"""Shapes of real web pages the rules read (issue 14, writers W to Z): headlines without a
copula, a tag of certainty standing alone after its call, a model's chances and readings, a
relative's view, and the page text that only looks like a forecast.

Sentences written for these tests; none is copied from the corpus.
"""

from datetime import date

import pytest

from app.extraction.extract import extract, rule_candidates
from app.extraction.features import rule_features

PUBLISHED = date(2025, 6, 1)


def found(sentence: str) -> list[tuple[str, float, str | None]]:
    return [
        (c.claim, c.probability, c.attributed_to)
        for c in extract(sentence, published_at=PUBLISHED, parser=None)
    ]


@pytest.mark.parametrize(
    ("headline", "claim", "p", "who"),
    [
        (
            "Copper prices poised to climb as Chilean output falls",
            "Copper prices will climb as Chilean output falls.",
            0.7,
            None,
        ),
        (
            "Midfield duo set to miss the derby, club sources say",
            "Midfield duo will miss the derby.",
            0.9,
            "club sources",
        ),
        (
            "Rail strike to cost retailers $50 million a week, trade body says",
            "Rail strike will cost retailers $50 million a week.",
            0.9,
            "trade body",
        ),
    ],
)
def test_a_headline_without_its_copula_is_read_like_the_full_sentence(
    headline: str, claim: str, p: float, who: str | None
) -> None:
    assert found(headline) == [(claim, p, who)]


def test_a_headline_copula_after_an_adverb_is_not_dropped_twice() -> None:
    claims = [claim for claim, _, _ in found("Prices are firmly set to rise.")]
    assert not any("firmly will" in claim for claim in claims)  # not "Prices are firmly will rise"


@pytest.mark.parametrize(
    ("text", "claim"),
    [
        ("Best Director: Ana Ruiz. Lock it.", "Ana Ruiz will win."),
        (
            "The Chiefs win the AFC West this season. Nailed on.",
            "The Chiefs will win the AFC West this season.",
        ),
        (
            "Arsenal win the league. Don't @ me.",
            "Arsenal will win the league.",
        ),
    ],
)
def test_a_lone_tag_of_certainty_makes_the_call_before_it_a_forecast(text: str, claim: str) -> None:
    assert [c for c, _, _ in found(text)] == [claim]


def test_a_model_chance_to_win_is_the_stated_probability_of_the_win() -> None:
    assert found("Our ratings make Spain 35% to win the tournament.") == [
        ("Spain will win the tournament.", 0.35, None)
    ]


def test_a_projection_system_reading_is_a_projection() -> None:
    assert found("Our projection system has Denver winning 55 games.") == [
        ("Denver will win 55 games.", 0.9, None)
    ]


def test_not_on_the_cards_is_certain_the_event_will_not_happen() -> None:
    assert found("A second referendum is not on the cards, whatever the activists say.") == [
        ("A second referendum will not happen.", 0.9, None)
    ]


@pytest.mark.parametrize(
    ("sentence", "claim", "who"),
    [
        (
            "My uncle, who farms near Ballina, insists barley doubles in price by spring.",
            "Barley will double in price by spring.",
            "My uncle",
        ),
        (
            "The strategist reckons the index closes the year higher by December.",
            "The index will close the year higher by December.",
            "The strategist",
        ),
        (
            "Most traders we talked to expect the bank to hold.",
            "The bank will hold.",
            "Most traders we talked to",
        ),
    ],
)
def test_a_reported_belief_is_the_holders_and_its_claim_is_the_reported_clause(
    sentence: str, claim: str, who: str
) -> None:
    assert found(sentence) == [(claim, 0.7, who)]


@pytest.mark.parametrize(
    "page_text",
    [
        "Verdict: Mostly false.",
        "Seasonal rainfall forecast: June to September 2025 | Updated 3 May",
    ],
)
def test_a_fact_check_rating_and_a_page_title_are_not_forecasts(page_text: str) -> None:
    assert found(page_text) == []


def test_a_hedge_in_quotes_still_reads_as_a_hedge_in_the_claim() -> None:
    [(claim, p, who)] = found('Two members said approval is "very likely" at the new price.')
    assert (claim, who) == ("Approval will come about.", "Two members")
    assert p == pytest.approx(0.875)  # "very likely" in the hindsight-v2 codebook


@pytest.mark.parametrize(
    ("text", "claim"),
    [
        ("Champion: Orlić. Runner-up: Castellà.", "Orlić will win."),
        ("Winner: India.", "India will win."),
        (
            "Call 2: one of the big carriers goes bust.",
            "One of the big carriers will go bust.",
        ),
    ],
)
def test_a_labelled_call_is_a_forecast_of_what_the_label_names(text: str, claim: str) -> None:
    assert [c for c, _, _ in found(text)][:1] == [claim]


@pytest.mark.parametrize(
    ("text", "claim"),
    [
        (
            "Relegation: Ipswich, Southampton and Leicester, in that order.",
            "Ipswich will be relegated.",
        ),
        ("Top scorer: Haaland.", "Haaland will be top scorer."),
        ("Top four: Arsenal, City, Liverpool, Villa.", "Arsenal will finish in the top four."),
        ("Semi-finalists: Spain, France, Brazil and England.", "Spain will reach the semi-finals."),
        ("Player of the Year: Cole Palmer.", "Cole Palmer will be named player of the year."),
    ],
)
def test_a_labelled_place_is_a_pick_of_its_first_name(text: str, claim: str) -> None:
    assert found(text) == [(claim, 0.7, None)]


def test_a_labelled_list_of_what_happened_is_not_a_pick() -> None:
    assert found("Relegated: Luton, Burnley and Sheffield United all went down last season.") == []


@pytest.mark.parametrize(
    ("text", "claim", "p"),
    [
        # the price's implied chance (the guideline: 3/1 is 1 in 4, 20/1 is 1 in 21)
        ("Back Lyon at 3/1.", "Lyon will win.", 0.25),
        ("I am backing Lyon at 3/1.", "Lyon will win.", 0.25),
        ("2pts e/w Tommy Fleetwood at 20/1.", "Tommy Fleetwood will win.", 0.048),
        ("1pt win Lyon at 9/4 with Bet365.", "Lyon will win.", 0.308),
        ("Back the draw at 3/1.", "The match will end in a draw.", 0.25),
        ("Selection: Desert Crown, 2.30 Ascot, 4/1.", "Desert Crown will win.", 0.2),
        ("Main bet: Copper Kettle, 3pts win at 10/1.", "Copper Kettle will win.", 0.091),
        ("I've had a small bet on the hosts at 11/2.", "The hosts will win.", 0.154),
        ("Back the draw in Tolka v Ardmore at 12/5.", "Tolka v Ardmore will end in a draw.", 0.294),
    ],
)
def test_a_tipsters_selection_takes_its_prices_chance(text: str, claim: str, p: float) -> None:
    assert found(text) == [(claim, p, None)]


@pytest.mark.parametrize(
    ("text", "claim"),
    [
        ("Lyon are the value pick this weekend.", "Lyon will win this weekend."),
        ("Rovers are the banker of the weekend.", "Rovers will win."),
        ("Desert Crown is the bet in the 2.30.", "Desert Crown will win in the 2.30."),
        (
            "Cole Palmer is my pick for Player of the Year.",
            "Cole Palmer will win Player of the Year.",
        ),
        ("Nap: Desert Crown, 2.30 Ascot.", "Desert Crown will win."),
    ],
)
def test_a_side_called_the_pick_is_a_pick(text: str, claim: str) -> None:
    assert found(text) == [(claim, 0.7, None)]


def test_a_forecast_table_row_is_read_by_its_first_cell() -> None:
    # the guideline: a row is a projection (0.9), dated by its first period
    [candidate] = extract(
        "Brent ($/bbl): Q4-25f 64 | Q1-26f 60 | Q2-26f 58 | 2026f 60",
        published_at=PUBLISHED,
        parser=None,
    )
    assert (candidate.claim, candidate.probability) == (
        "Brent ($/bbl) will be 64 in Q4 2025.",
        0.9,
    )
    assert candidate.resolve_by == date(2025, 12, 31)


def test_chances_put_at_even_are_a_claim_about_the_side() -> None:
    assert found("Labour's chances of winning outright are no better than 50-50.") == [
        ("Labour will win outright.", 0.5, None)
    ]


def test_an_explainers_headline_claims_what_it_explains() -> None:
    said = rule_candidates("Why the Geneva peace summit will fail", published_at=PUBLISHED)
    assert [c.claim for c in said] == ["The Geneva peace summit will fail."]


def test_what_the_polls_show_now_is_not_a_projection() -> None:
    assert found("The last three polls have Ortiz ahead by 2.") == []


def test_a_present_tense_call_with_a_time_phrase_still_reads_as_will() -> None:
    assert found("Arsenal win the league this season, book it.") == [
        ("Arsenal will win the league this season.", 0.9, None)
    ]


@pytest.mark.parametrize(
    ("text", "claim"),
    [
        ("My pick from the bottom half is Ferro, whose serve is in form.", "Ferro will win."),
        ("I'll go for Mina Osei, the best clay-courter in the draw.", "Mina Osei will win."),
        ("Co-main event: I got Varga by knockout.", "Varga will win by knockout."),
    ],
)
def test_a_pick_names_its_side_without_the_praise_after_it(text: str, claim: str) -> None:
    assert [c for c, _, _ in found(text)] == [claim]


@pytest.mark.parametrize(
    "sentence", ["I'll go for a walk after the match.", "We'll go with the flow on this one."]
)
def test_going_for_a_walk_is_no_pick(sentence: str) -> None:
    assert found(sentence) == []


@pytest.mark.parametrize(
    "sentence", ["The race is a coin flip.", "The general looks like a genuine toss-up to me."]
)
def test_an_even_chance_with_no_side_taken_is_no_forecast(sentence: str) -> None:
    assert found(sentence) == []  # guideline: "a toss-up" with no side is neg-meta


def test_an_even_chance_of_a_named_event_is_that_events_chance() -> None:
    claims = found("It's a coin toss whether the bill passes.")
    assert claims == [("The bill will pass.", 0.5, None)]


def test_a_doubtful_whether_clause_is_the_claim_turned_round() -> None:
    [candidate] = rule_candidates("Whether the deal survives is doubtful.", published_at=PUBLISHED)
    assert (candidate.claim, candidate.probability) == ("The deal will not survive.", 0.75)


@pytest.mark.parametrize(
    ("text", "claim"),
    [
        (
            "The Thornbury recognition vote is the union's to lose",
            "The union will win the Thornbury recognition vote.",
        ),
        ("It's Nadia Kerr's to lose after the world title.", "Nadia Kerr will win."),
        (
            "The minister's target of 10,000 next year is, on any honest reading, a fantasy.",
            "The minister's target of 10,000 next year will not be met.",
        ),
        (
            "The prime minister's snap-election talk is a bluff",
            "The prime minister's snap-election talk will not come about.",
        ),
    ],
)
def test_idioms_of_a_favourite_and_of_an_empty_promise(text: str, claim: str) -> None:
    assert [c.claim for c in rule_candidates(text, published_at=PUBLISHED)] == [claim]


@pytest.mark.parametrize(
    ("sentence", "flag"),
    [
        ("Refunds will be paid within 30 days of registration.", "terms"),
        ("Subscriptions will cost £75 a month, plus £299 for the dish.", "terms"),
        ("Retailers caught selling them will face fines of up to £5,000.", "terms"),
        ("A $50 rise would make it the most expensive console on the market.", "consequence"),
        ("A withdrawal by either would leave a funding gap of about €300m.", "consequence"),
        ("History will not be kind to the people who signed this off.", "rhetorical"),
        ("Voters will remember the broken pledge on rail fares.", "rhetorical"),
        (
            "I said the incumbent would lose Pennsylvania by two points; he lost it by 1.7.",
            "own_past_call",
        ),
        (
            "The Met Office said the storm would make landfall late on Thursday.",
            "said_other_would",
        ),
        ("From April, owners of second homes will pay double council tax.", "from_date_rule"),
        ("Ofsted's report cards will be used for all inspections from November.", "from_date_rule"),
        ("The council will publish its response in the autumn, the department said.", "owned_act"),
        ("Owners will be contacted by letter.", "terms"),
    ],
)
def test_the_decision_sees_the_sign_of_each_look_alike(sentence: str, flag: str) -> None:
    [candidate] = rule_candidates(sentence, published_at=PUBLISHED)
    assert rule_features(candidate, 1)[flag] == 1.0


@pytest.mark.parametrize(
    ("sentence", "flag"),
    [
        ("Oil will cost $90 by the end of the year.", "terms"),
        ("A veto would sink the bill.", "consequence"),
        ("The coalition will not survive the budget.", "rhetorical"),
        ("Campaigners said they would seek a judicial review.", "said_other_would"),
        ("Prices will rise from April onwards, the survey suggests.", "owned_act"),
        ("Inflation will fall below 2% by next spring.", "from_date_rule"),
    ],
)
def test_a_forecast_does_not_carry_the_look_alikes_sign(sentence: str, flag: str) -> None:
    [candidate] = rule_candidates(sentence, published_at=PUBLISHED)
    assert rule_features(candidate, 1)[flag] == 0.0


@pytest.mark.parametrize(
    "text",
    [
        "Hospital trust promises to end corridor care by the summer",
        "The government wants the gig-worker bill passed by summer.",
        "If you're on a fixed deal that ends soon, compare tariffs before the summer.",
        "Utility to raise standing charges from April",
        "Northgate Power to shut last two units at Carrow by 2028",
    ],
)
def test_a_plan_a_wish_or_an_instruction_with_a_date_is_not_read_as_will(text: str) -> None:
    assert rule_candidates(text, published_at=PUBLISHED) == []


def test_an_even_call_with_no_side_is_not_proposed_by_the_sentence_model() -> None:
    assert found("I've covered nine races. This one is genuinely too close to call.") == []
    assert (
        rule_features(
            rule_candidates(
                "The race is a coin flip, and it will stay one.", published_at=PUBLISHED
            )[0],
            1,
        )["no_call"]
        == 1.0
    )


@pytest.mark.parametrize(
    ("post", "claim"),
    [
        ("u/ibrox_ian: Rangers win 2-0. Clean sheet at last.", "Rangers will win 2-0."),
        ("u/puck_bunny_pete: Oilers miss the playoffs.", "Oilers will miss the playoffs."),
    ],
)
def test_a_posts_bare_present_call_is_a_pick(post: str, claim: str) -> None:
    # the guideline (writer V): a bare present-tense call in a post is a pick, 0.7
    assert [(c.claim, c.probability) for c in rule_candidates(post, published_at=PUBLISHED)] == [
        (claim, 0.7)
    ]


@pytest.mark.parametrize(
    "post", ["u/x_1: Rangers won 2-0 last night.", "u/ibrox_ian: Rangers always win at home."]
)
def test_a_posts_result_or_habit_is_no_pick(post: str) -> None:
    assert rule_candidates(post, published_at=PUBLISHED) == []


def test_year_end_without_a_hyphen_is_a_time_to_come() -> None:
    assert found("Gold hits $6,000 by year end.") == [
        ("Gold will hit $6,000 by year end.", 0.9, None)
    ]


@pytest.mark.parametrize(
    ("text", "claim"),
    [
        ("We're likely to see a bigger wave this year.", "We will see a bigger wave this year."),
        ("They're likely to win this year.", "They will win this year."),
        (
            "The governor said rates would stay where they are 'for as long as it takes'.",
            "Rates will stay where they are.",
        ),
        (
            "FOMC tomorrow. 25bp and a hawkish dot plot, 70/30 vs a 50.",
            "25bp and a hawkish dot plot will come about.",
        ),
    ],
)
def test_claims_of_contractions_quotes_and_bare_odds(text: str, claim: str) -> None:
    assert [c.claim for c in rule_candidates(text, published_at=PUBLISHED)][-1:] == [claim]


def test_a_claim_that_is_only_a_subject_and_a_modal_is_dropped() -> None:
    assert found("Owners will love the boot; passengers in the back will not.") == []
