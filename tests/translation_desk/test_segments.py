from translation_desk.segments import body_segments, pair_body, rebuild_body

SOURCE = "<p>Một.</p><h2>Hai.</h2><p>Ba <strong>đậm</strong>.</p>"


def translated(**texts):
    return rebuild_body(SOURCE, {f"body-{n}": "" for n in (1, 2, 3)} | texts)


def test_a_body_built_on_the_source_pairs_every_paragraph_empty_ones_included():
    target = translated(
        **{"body-1": "", "body-2": "Two.", "body-3": "Three <strong>bold</strong>."}
    )

    pairing = pair_body(SOURCE, target)

    assert pairing.aligned
    assert pairing.segments == {
        "body-1": "",
        "body-2": "Two.",
        "body-3": "Three <strong>bold</strong>.",
    }


def test_translations_follow_a_paragraph_added_to_the_source():
    target = translated(**{"body-1": "One.", "body-2": "Two.", "body-3": "Three."})
    new_source = "<p>Một.</p><p>Mới.</p><h2>Hai.</h2><p>Ba <strong>đậm</strong>.</p>"

    pairing = pair_body(new_source, target, made_from_html=SOURCE)

    assert pairing.aligned
    assert pairing.segments == {
        "body-1": "One.",
        "body-2": "",
        "body-3": "Two.",
        "body-4": "Three.",
    }
    assert pairing.dropped == []


def test_translation_of_a_paragraph_removed_from_the_source_is_reported_dropped():
    target = translated(**{"body-1": "One.", "body-2": "Two.", "body-3": "Three."})
    new_source = "<p>Một.</p><p>Ba <strong>đậm</strong>.</p>"

    pairing = pair_body(new_source, target, made_from_html=SOURCE)

    assert pairing.segments == {"body-1": "One.", "body-2": "Three."}
    assert pairing.dropped == ["Two."]


def test_paragraphs_merged_in_the_full_form_are_paired_in_order_but_not_aligned():
    target = "<p>One. Two.</p><p>Three.</p>"

    pairing = pair_body(SOURCE, target)

    assert not pairing.aligned
    assert pairing.segments == {"body-1": "One. Two.", "body-2": "Three."}


def test_a_body_with_fewer_blocks_is_not_read_as_one_paragraph_holding_them():
    source = "<p>Một.</p>"
    target = "<p>One.</p><p>Two.</p>"

    assert not pair_body(source, target).aligned


def test_rebuilding_keeps_the_source_structure_around_the_segments():
    body = rebuild_body(SOURCE, {"body-1": "One.", "body-2": "Two.", "body-3": "Three."})

    assert body == "<p>One.</p><h2>Two.</h2><p>Three.</p>"
    assert [unit for unit, _span in body_segments(body)] == ["body-1", "body-2", "body-3"]


def test_paragraphs_beyond_the_source_count_are_joined_to_the_last_not_hidden():
    source = "<p>Một.</p><p>Hai.</p>"
    target = "<p>One.</p><p>Two.</p><p>And three.</p>"

    pairing = pair_body(source, target)

    assert not pairing.aligned
    assert pairing.segments == {"body-1": "One.", "body-2": "Two. And three."}
