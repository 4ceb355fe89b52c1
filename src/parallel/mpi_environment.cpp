// placeholder until the MPI layer lands
