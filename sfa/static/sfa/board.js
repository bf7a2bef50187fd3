// Pipeline board: drop a card on a column → POST the move; the server answers with the whole
// board (200 moved, 409 refused: the card is back where it was, with the reason on top).
(function () {
  var dragged = null;
  document.addEventListener("dragstart", function (event) {
    var card = event.target.closest && event.target.closest(".deal-card");
    if (!card) return;
    dragged = card;
    event.dataTransfer.setData("text/plain", card.dataset.id);
    card.classList.add("dragging");
  });
  document.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("dragging");
  });
  document.addEventListener("dragover", function (event) {
    if (dragged && event.target.closest(".board-column")) event.preventDefault();
  });
  document.addEventListener("drop", function (event) {
    var column = event.target.closest(".board-column");
    if (!dragged || !column) return;
    event.preventDefault();
    var board = document.getElementById("board");
    var url = dragged.dataset.moveUrl + (board.dataset.mine ? "?owner=me" : "");
    htmx.ajax("POST", url, {target: "#board", swap: "innerHTML",
                            values: {stage: column.dataset.stage}});
    dragged = null;
  });
})();
