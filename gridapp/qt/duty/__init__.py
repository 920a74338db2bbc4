"""The duty list editor (职责清单): which department handles which category where."""
