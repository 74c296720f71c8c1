"""The output rules themselves, on outputs shaped like the ones nbval collects."""

import nbformat.v4 as v4

from output_rules import MAX_LINES, problems


def stdout(text):
    return v4.new_output("stream", name="stdout", text=text)


def result(data):
    return v4.new_output("execute_result", data=data, execution_count=1)


def test_a_clean_check_cell_passes():
    out = [stdout("PASS  slope is 2                                  value=2  expected in [1.9, 2.1]\n"
                  "PASS  two                                        max|diff|= 0.0\n")]
    assert problems('check_between("slope", s, 1.9, 2.1)\ncheck_close("two", a, b)', out) == []


def test_long_output_is_refused_but_a_figure_or_widget_is_not_counted():
    long = [stdout("".join(f"row {i}\n" for i in range(MAX_LINES + 1)))]
    assert "41 lines of output" in problems("print(rows)", long)[0]
    assert problems("print(rows)", [stdout("".join(f"row {i}\n" for i in range(MAX_LINES)))]) == []
    figure = v4.new_output("display_data", data={"image/png": "iVBOR", "text/plain": "<Figure size 640x480 with 1 Axes>"})
    widget = v4.new_output("display_data", data={"application/vnd.jupyter.widget-view+json": {"model_id": "x"},
                                                  "text/plain": "VBox(children=(IntSlider(value=0),))"})
    assert problems("plt.show()", [figure]) == [] and problems("display(w)", [widget]) == []


def test_a_returned_dict_is_counted_like_printed_text():
    big = result({"text/plain": "{\n" + "".join(f" 'k{i}': {i},\n" for i in range(379)) + "}"})
    assert "381 lines" in problems("playground.update()", [big])[0]


def test_carriage_returns_overwrite_their_line():
    bar = stdout("epoch 1/50\repoch 2/50\r" * 30 + "done\n")
    assert problems("train()", [bar]) == []


def test_object_reprs_and_widgets_printed_as_text_are_refused():
    repr_out = result({"text/plain": "<course_utils.widgets.euler.EulerStabilityExplorer object at 0x7f3a2c1d0>"})
    assert "object repr" in problems("EulerStabilityExplorer()", [repr_out])[0]
    text_widget = result({"text/plain": "VBox(children=(HBox(children=(FloatSlider(value=2.0, description='λ'),)),))"})
    assert "widget printed as text" in problems("w", [text_widget])[0]
    ipython_repr = result({"text/plain": "<__main__.Thing at 0x7f00aa>"})
    assert "object repr" in problems("Thing()", [ipython_repr])[0]


def test_a_check_cell_may_print_only_pass_lines():
    noisy = [stdout("PASS  ok   value=1\nthe answer is 42\n"), v4.new_output("stream", name="stderr", text="UserWarning: careful\n")]
    message = problems("print('the answer is', 42)\ncheck_true('ok', True)", noisy)[0]
    assert "only its checks' PASS lines" in message and "the answer is 42" in message and "[stderr]" in message
    returned = [stdout("PASS  ok\n"), result({"text/plain": "0.0"})]
    assert "[plain] 0.0" in problems("check_close('x', 0, 0)", returned)[0]
    assert problems("print('the answer is', 42)", [stdout("the answer is 42\n")]) == [], "not a check cell"


def test_a_gradient_table_is_allowed_in_a_check_cell_only_when_every_row_is_close():
    table = ("gradient    exact  close  max|diff|   vs autograd (rtol=1e-10, atol=1e-12)\n"
             "W1          False   True   2.22e-16\n"
             "b1           True   True   0.00e+00\n")
    source = "rows = compare_gradients(pairs, reference='autograd')\ncheck_true('all close', True)"
    assert problems(source, [stdout(table + "PASS  all close\n")]) == []
    failing = table.replace("b1           True   True", "b1           True  False")
    assert problems(source, [stdout(failing + "PASS  all close\n")])
    assert problems("check_true('x', True)", [stdout(table)]), "a table without compare_gradients in the cell is stray"


def test_a_deliberately_broken_check_may_show_its_fail_line():
    source = "try:\n    check_close('buggy', g, ref)\nexcept AssertionError as err:\n    pass\ncheck_true('fixed', True)"
    out = [stdout("FAIL  buggy   max|diff|= 1.6e-01\nPASS  fixed\n")]
    assert problems(source, out) == []
    assert problems(source.replace("except AssertionError", "except ValueError"), out)


def test_a_trailing_semicolon_hides_the_returned_value_as_in_jupyterlab():
    # nbval runs cells with store_history=False, so IPython shows the value despite the ';'.
    returned = [stdout("PASS  ok\n"), result({"text/plain": "0.0"})]
    assert problems("check_close('x', 0,\n            0);", returned) == []
    assert problems("check_close('x', 0, 0);  # done\n", returned) == []
    assert "[plain] 0.0" in problems("check_close('x', 0, 0)", returned)[0]
    assert "[plain] 0.0" in problems("s = 'a;'\ncheck_close('x', 0, 0)", returned)[0]
